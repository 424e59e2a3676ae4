/**
 * The JAX-RS adapter: register or let the runtime discover {@link
 * com.nimbusos.auth.jaxrs.NimbusAuthFeature}.
 */
package com.nimbusos.auth.jaxrs;
