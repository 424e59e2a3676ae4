/**
 * Durable, tamper-evident audit trails: {@link com.nimbusos.auth.api.audit.trail.FileAuditSink}
 * (append-only files of its own) and {@link com.nimbusos.auth.api.audit.trail.JdbcAuditSink} (a
 * table shared by a cluster, one chain per node), both checked by {@link
 * com.nimbusos.auth.api.audit.trail.TrailVerifier}.
 *
 * <p>Every record is one JSON line ending in a {@code chain} field: the SHA-256 of the previous
 * record's chain value and this line's bytes up to that field, so that changing, removing,
 * duplicating or moving a record breaks the chain at that point. Event records carry a {@code seq}
 * number. Checkpoint records ({@code "checkpoint":"open"|"periodic"|"rotate"|"close"|"recover"})
 * also carry a {@code mac}: an HMAC-SHA256 under the audit key over the chain head they follow and
 * their own bytes, so that a chain rewritten without the key, or a trail cut short (every run ends
 * with a {@code close}, {@code rotate} or {@code recover} checkpoint), is detected.
 */
package com.nimbusos.auth.api.audit.trail;
