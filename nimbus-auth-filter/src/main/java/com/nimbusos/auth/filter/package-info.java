/** The Jakarta Servlet adapter: {@link com.nimbusos.auth.filter.ApiKeyFilter}. */
package com.nimbusos.auth.filter;
