package com.example.readme.custom;

import com.nimbusos.auth.jaxrs.keys.KeyManagementResource;
import jakarta.ws.rs.Path;

// docs/key-management.md's opt-in with a store passed in code; DocsExamplesTest finds its block here.
@Path("api-keys")
public class ApiKeys extends KeyManagementResource {
  public ApiKeys() { super(PartnerKeys.MANAGEMENT); }   // KeyManagement.over(store).hasher(…).audit(…).build()
}
