/**
 * Decision and validation-latency metrics, reported to Micrometer or MicroProfile Metrics when the
 * application has either, or to an {@link com.nimbusos.auth.api.metrics.AuthMetrics} of its own.
 */
package com.nimbusos.auth.api.metrics;
