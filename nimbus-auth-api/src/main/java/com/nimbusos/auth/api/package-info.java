/**
 * The Nimbus Auth SPI: implement {@link com.nimbusos.auth.api.KeyValidator} to plug in a key store;
 * a valid key becomes an {@link com.nimbusos.auth.api.ApiKeyPrincipal}. Keys travel as {@link
 * com.nimbusos.auth.api.PresentedKey}, which never prints itself.
 */
package com.nimbusos.auth.api;
