/** The HIPAA audit trail: one {@link com.nimbusos.auth.api.audit.AuditEvent} per decision. */
package com.nimbusos.auth.api.audit;
