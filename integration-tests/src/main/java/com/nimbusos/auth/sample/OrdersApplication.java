package com.nimbusos.auth.sample;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The sample partner API, at the context root so URLs read like the spec's ({@code /orders}). */
@ApplicationPath("/")
public class OrdersApplication extends Application {}
