/** The admin command line, {@link com.nimbusos.auth.api.cli.KeyAdmin}. */
package com.nimbusos.auth.api.cli;
