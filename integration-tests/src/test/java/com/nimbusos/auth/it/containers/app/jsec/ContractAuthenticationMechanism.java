package com.nimbusos.auth.it.containers.app.jsec;

import com.nimbusos.auth.filter.ApiKeyAuthenticationMechanism;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The "jakarta-security" wiring's opt-in: the one line an application adds to have Nimbus Auth as
 * its Jakarta Security mechanism. Configured by the WAR's context-params ({@code
 * ContractApp.properties(true, true)}).
 */
@ApplicationScoped
public class ContractAuthenticationMechanism extends ApiKeyAuthenticationMechanism {}
