/**
 * Where keys live and how they are checked: the {@link com.nimbusos.auth.api.keys.KeyStore} SPI and
 * its stores (JSON file, JDBC, in memory), the caching {@link
 * com.nimbusos.auth.api.keys.StoreKeyValidator} over a store, the read-only {@link
 * com.nimbusos.auth.api.keys.HashedKeysFileValidator}, and the key lifecycle ({@link
 * com.nimbusos.auth.api.keys.KeyManager}: create, rotate, revoke) with its format and hashing.
 */
package com.nimbusos.auth.api.keys;
