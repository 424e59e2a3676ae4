package com.example.readme;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

// docs/wirings.md's public JAX-RS resource; DocsExamplesTest finds its block here.
@Path("health") @PermitAll                      // no key needed
public class HealthResource { @GET public String up() { return "up"; } }
