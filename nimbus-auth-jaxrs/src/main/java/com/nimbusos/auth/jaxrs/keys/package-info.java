/**
 * Self-service key management over HTTP: {@link com.nimbusos.auth.jaxrs.keys.KeyManagementResource}
 * (the API and its "API Keys" page, off until the application subclasses it), {@link
 * com.nimbusos.auth.jaxrs.keys.KeyManagement} (who may do what), and the usage per key the API
 * reports ({@link com.nimbusos.auth.jaxrs.keys.UsageAuditSink}, {@link
 * com.nimbusos.auth.jaxrs.keys.KeyUsageHistory}).
 */
package com.nimbusos.auth.jaxrs.keys;
