package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.engine.AuthError;
import com.nimbusos.auth.api.engine.DenialReason;

/**
 * An error an exception mapper chose, rendered later by {@link ResponseFinisher} with the request's
 * id.
 */
record PendingAuthError(AuthError error, DenialReason reason) {}
