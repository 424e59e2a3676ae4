package com.nimbusos.auth.api.engine;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.PresentedKey;

/**
 * A verdict and what recording it needs to know of how it was reached: {@code key} is the
 * well-formed key presented, if any (its digest, computed once, serves the validator and the audit
 * fingerprint); {@code caller} the key accepted before a later check refused the request, so that
 * the refusal names it.
 */
record Evaluation(
    Decision decision, PresentedKey key, ClientResolver.Client client, ApiKeyPrincipal caller) {

  /** An evaluation whose caller, if any, is the one its decision names. */
  Evaluation(Decision decision, PresentedKey key, ClientResolver.Client client) {
    this(decision, key, client, decision.principal().orElse(null));
  }
}
