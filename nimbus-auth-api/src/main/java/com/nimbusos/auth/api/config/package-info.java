/** Immutable, validated configuration read from {@code nimbus.auth.*} properties. */
package com.nimbusos.auth.api.config;
