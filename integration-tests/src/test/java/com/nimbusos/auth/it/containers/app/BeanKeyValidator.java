package com.nimbusos.auth.it.containers.app;

import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.contract.ContractKeyValidator;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The zero-configuration wiring's validator: an application's own {@code @ApplicationScoped} bean,
 * named nowhere, that Nimbus Auth finds through CDI. It decides as the contract's fixture validator
 * does.
 */
@ApplicationScoped
public class BeanKeyValidator implements KeyValidator {

  private final KeyValidator fixture = new ContractKeyValidator();

  @Override
  public ValidationResult validate(PresentedKey key) throws KeyValidationException {
    return fixture.validate(key);
  }
}
