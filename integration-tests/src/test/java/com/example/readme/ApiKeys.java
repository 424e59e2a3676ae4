package com.example.readme;

// docs/key-management.md's opt-in: DocsExamplesTest checks that the page shows this file from its imports on.
import com.nimbusos.auth.jaxrs.keys.KeyManagementResource;
import jakarta.ws.rs.Path;

@Path("api-keys")
public class ApiKeys extends KeyManagementResource {}
