<?xml version="1.0" encoding="UTF-8"?>
<!--
  Rewrites a pristine Payara domain1/config/domain.xml for the integration tests (server-config only):
  listener ports, the certificate and protocols of http-listener-2 (HTTPS), one JVM option, and the
  MicroProfile Health endpoint (off).
  Everything else is copied unchanged.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:param name="http-port"/>
  <xsl:param name="https-port"/>
  <xsl:param name="admin-port"/>
  <xsl:param name="cert-nickname"/>
  <xsl:param name="jvm-option"/>

  <xsl:output method="xml" encoding="UTF-8"/>

  <xsl:template match="@*|node()">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="config[@name='server-config']//network-listener[@name='http-listener-1']/@port">
    <xsl:attribute name="port"><xsl:value-of select="$http-port"/></xsl:attribute>
  </xsl:template>

  <xsl:template match="config[@name='server-config']//network-listener[@name='http-listener-2']/@port">
    <xsl:attribute name="port"><xsl:value-of select="$https-port"/></xsl:attribute>
  </xsl:template>

  <xsl:template match="config[@name='server-config']//network-listener[@name='admin-listener']/@port">
    <xsl:attribute name="port"><xsl:value-of select="$admin-port"/></xsl:attribute>
  </xsl:template>

  <!--
    Payara 6 only knows tls12-enabled and tls13-enabled (tls-enabled, tls11-enabled, ssl3-enabled are gone
    from its ssl element); the listener offers exactly the protocols enabled here.
  -->
  <xsl:template match="config[@name='server-config']//protocol[@name='http-listener-2']/ssl">
    <xsl:copy>
      <xsl:attribute name="cert-nickname"><xsl:value-of select="$cert-nickname"/></xsl:attribute>
      <xsl:attribute name="tls12-enabled">true</xsl:attribute>
      <xsl:attribute name="tls13-enabled">true</xsl:attribute>
      <!-- TLS 1.3's suites, and TLS 1.2's forward-secret AEAD ones only: no static-RSA key exchange, no CBC. -->
      <xsl:attribute name="ssl3-tls-ciphers">+TLS_AES_128_GCM_SHA256,+TLS_AES_256_GCM_SHA384,+TLS_CHACHA20_POLY1305_SHA256,+TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,+TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,+TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256</xsl:attribute>
      <xsl:apply-templates select="@*[not(name()='cert-nickname' or name()='tls12-enabled' or name()='tls13-enabled' or name()='ssl3-tls-ciphers')]"/>
      <xsl:apply-templates select="node()"/>
    </xsl:copy>
  </xsl:template>

  <!--
    Payara serves MicroProfile Health at /health of every application's host by default, which hides the
    sample's own /health once the WAR sits at context root "/": switch the endpoint off.
  -->
  <xsl:template match="config[@name='server-config']">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
      <xsl:if test="not(microprofile-healthcheck-configuration)">
        <microprofile-healthcheck-configuration enabled="false"/>
      </xsl:if>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="config[@name='server-config']/microprofile-healthcheck-configuration">
    <xsl:copy>
      <xsl:attribute name="enabled">false</xsl:attribute>
      <xsl:apply-templates select="@*[not(name()='enabled')]|node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="config[@name='server-config']/java-config">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
      <jvm-options><xsl:value-of select="$jvm-option"/></jvm-options>
    </xsl:copy>
  </xsl:template>
</xsl:stylesheet>
