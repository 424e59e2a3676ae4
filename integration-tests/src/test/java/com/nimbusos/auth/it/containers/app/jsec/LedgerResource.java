package com.nimbusos.auth.it.containers.app.jsec;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code /ledger}: a resource without annotations (any valid key) calling the EJB, so that the EJB
 * container, not Nimbus, decides who may record.
 */
@Path("ledger")
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class LedgerResource {

  @Inject private OrderLedger ledger;

  @GET
  public String caller() {
    return ledger.caller();
  }

  @POST
  public String record() {
    return ledger.record();
  }
}
