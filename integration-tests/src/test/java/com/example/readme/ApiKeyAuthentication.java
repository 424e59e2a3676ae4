package com.example.readme;

// docs/jakarta-security.md's opt-in: DocsExamplesTest checks that the page shows this file from its imports on.
import com.nimbusos.auth.filter.ApiKeyAuthenticationMechanism;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ApiKeyAuthentication extends ApiKeyAuthenticationMechanism {}
