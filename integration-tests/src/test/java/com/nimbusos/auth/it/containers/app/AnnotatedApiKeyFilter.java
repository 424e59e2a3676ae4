package com.nimbusos.auth.it.containers.app;

import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.filter.ApiKeyFilter;
import com.nimbusos.auth.it.routing.app.Probe;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebInitParam;

/**
 * The "annotation" wiring: the servlet filter subclassed and declared by {@code @WebFilter}, no
 * web.xml. Annotation values must be constants, so the properties are spelled out here; {@code
 * ContainerWarsTest} proves they equal {@code Wiring.filterProperties()}: the contract's and the
 * routing probe's.
 */
@WebFilter(
    urlPatterns = "/*",
    initParams = {
      @WebInitParam(
          name = "nimbus.auth.validator",
          value = "com.nimbusos.auth.contract.ContractKeyValidator"),
      @WebInitParam(name = "nimbus.auth.environment", value = "sandbox"),
      @WebInitParam(name = "nimbus.auth.require-https", value = "true"),
      @WebInitParam(name = "nimbus.auth.public-paths", value = "/health," + Probe.PUBLIC_PATH),
      @WebInitParam(name = "nimbus.auth.throttle.max-failures", value = "0"),
      @WebInitParam(
          name = "nimbus.auth.scope-rules",
          value = ContractApp.SCOPE_RULES + "; " + Probe.SCOPE_RULES)
    })
public class AnnotatedApiKeyFilter extends ApiKeyFilter {}
