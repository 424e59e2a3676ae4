/**
 * The decision engine every adapter calls: extract the key, validate it, authorise the path, and
 * say what to answer. Adapters only translate HTTP in and out.
 */
package com.nimbusos.auth.api.engine;
