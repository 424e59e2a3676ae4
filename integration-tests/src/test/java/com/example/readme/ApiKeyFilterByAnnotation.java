package com.example.readme;

import com.nimbusos.auth.filter.ApiKeyFilter;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebInitParam;

// docs/wirings.md: "Servlet filter by annotation"; DocsExamplesTest finds its block here.
@WebFilter(urlPatterns = "/*", initParams = {
    @WebInitParam(name = "nimbus.auth.keys-file", value = "/etc/nimbus/keys.properties"),
    @WebInitParam(name = "nimbus.auth.environment", value = "production"),
    @WebInitParam(name = "nimbus.auth.public-paths", value = "/health"),
    @WebInitParam(name = "nimbus.auth.scope-rules", value = "GET /orders/* = orders:read; /orders/* = orders:write")})
public class ApiKeyFilterByAnnotation extends ApiKeyFilter {}
