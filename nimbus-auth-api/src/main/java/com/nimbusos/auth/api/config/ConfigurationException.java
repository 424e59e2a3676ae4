package com.nimbusos.auth.api.config;

/**
 * Invalid or missing configuration. Thrown while a filter or feature starts, so that the deployment
 * fails with a message naming the property at fault instead of serving requests insecurely.
 */
public class ConfigurationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The property at fault, or {@code null} when no single property is. */
  private final String property;

  /**
   * @param property the property at fault, or {@code null}
   * @param message what is wrong and how to fix it
   */
  public ConfigurationException(String property, String message) {
    this(property, message, null);
  }

  /**
   * @param property the property at fault, or {@code null}
   * @param message what is wrong and how to fix it
   * @param cause the underlying failure
   */
  public ConfigurationException(String property, String message, Throwable cause) {
    super(property == null ? message : property + ": " + message, cause);
    this.property = property;
  }

  /** The property at fault, or {@code null} when no single property is. */
  public String property() {
    return property;
  }
}
