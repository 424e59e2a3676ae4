/** Built-in key validators. */
package com.nimbusos.auth.api.keys;
