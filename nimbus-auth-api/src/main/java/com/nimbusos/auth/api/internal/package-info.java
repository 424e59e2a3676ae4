/**
 * Implementation details of Nimbus Auth: not API, may change in any release. Do not depend on it.
 */
package com.nimbusos.auth.api.internal;
