package com.nimbusos.auth.sample;

import com.nimbusos.auth.jaxrs.keys.KeyManagementResource;
import jakarta.ws.rs.Path;

/**
 * The sample's opt-in to self-service key management: the API at {@code /api-keys}, its page at
 * {@code /api-keys/page}, managing the store that {@code nimbus.auth.store} names. Partners need a
 * key with the {@code keys:manage} scope.
 */
@Path("api-keys")
public class ApiKeysResource extends KeyManagementResource {}
