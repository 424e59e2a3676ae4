package com.nimbusos.auth.contract;

import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.keys.HashedKeysFileValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A custom validator, plugged in through the SPI as a user would: it delegates to the built-in
 * hashed keys file validator and misbehaves on purpose for the fail-closed keys ({@link
 * TestKeys#OUTAGE}, {@link TestKeys#NULL_RESULT}, {@link TestKeys#CRASH}). Its outage message
 * carries the key, as a careless validator's might, so the contract can prove that the key never
 * reaches the logs.
 */
public final class ContractKeyValidator implements KeyValidator {

  private static final String KEYS_RESOURCE =
      "/com/nimbusos/auth/contract/contract-keys.properties";

  private final HashedKeysFileValidator keys = HashedKeysFileValidator.load(keysFile());

  @Override
  public ValidationResult validate(PresentedKey key) throws KeyValidationException {
    return switch (key.value()) {
      case TestKeys.OUTAGE ->
          throw new KeyValidationException("key store down while checking " + key.value());
      case TestKeys.NULL_RESULT -> null;
      case TestKeys.CRASH -> throw new IllegalStateException("bug in validator for " + key.value());
      default -> keys.validate(key);
    };
  }

  /**
   * The fixture keys file, copied out of the classpath (it may sit in a jar) to a temporary file.
   */
  public static Path keysFile() {
    try (InputStream in = ContractKeyValidator.class.getResourceAsStream(KEYS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(KEYS_RESOURCE + " missing from the classpath");
      }
      Path file = Files.createTempFile("contract-keys", ".properties");
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
