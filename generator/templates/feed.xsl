<?xml version="1.0" encoding="utf-8"?>
<!-- Shows an Atom feed of the safeguarding learning repository as a readable page when someone
     opens it in a browser: what a feed is, how to follow it, and its newest entries. A feed reader
     ignores this file. Everything taken from the feed is copied as text (value-of), never markup. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:variable name="home" select="/atom:feed/atom:link[@rel='alternate']/@href"/>
  <xsl:variable name="self" select="/atom:feed/atom:link[@rel='self']/@href"/>

  <xsl:template match="/">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="/atom:feed/atom:title"/> (feed)</title>
        <style>
          body { font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1f1f1f;
                 margin: 0 auto; max-width: 44rem; padding: 1rem; }
          .about { border-left: 6px solid #3949ab; background: #eef0fa; padding: .6rem 1rem; margin: 1rem 0 1.5rem; }
          .address { display: block; font-family: monospace; word-break: break-all; background: #fff;
                     border: 1px solid #757575; padding: .3rem .5rem; margin: .3rem 0; }
          a { color: #283593; }
          a:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
          ol { padding-left: 0; list-style: none; }
          li { border-bottom: 1px solid #ddd; padding: .6rem 0; }
          .meta { color: #4a4a4a; font-size: .9rem; }
        </style>
      </head>
      <body>
        <main>
          <h1><xsl:value-of select="/atom:feed/atom:title"/></h1>
          <div class="about">
            <p><strong>This is a feed.</strong> It lists the newest reviews and briefings here, so that a
              feed reader can tell you when a new one is published. You do not need to do anything
              with this page to read them.</p>
            <xsl:choose>
              <xsl:when test="starts-with($self, 'https://') or starts-with($self, 'http://')">
                <p>To follow it, copy this address into a feed reader (for example the RSS feeds folder
                  of Microsoft Outlook, or any news reader app):
                  <span class="address"><xsl:value-of select="$self"/></span></p>
              </xsl:when>
              <xsl:otherwise>
                <p>To follow it, copy the address of this page from your browser into a feed reader (for
                  example the RSS feeds folder of Microsoft Outlook, or any news reader app).</p>
              </xsl:otherwise>
            </xsl:choose>
            <p><a href="{$home}follow/">How to follow new learning, and every feed by theme, region and partnership</a></p>
          </div>
          <h2>Newest entries (<xsl:value-of select="count(/atom:feed/atom:entry)"/>)</h2>
          <xsl:choose>
            <xsl:when test="/atom:feed/atom:entry">
              <ol>
                <xsl:apply-templates select="/atom:feed/atom:entry"/>
              </ol>
            </xsl:when>
            <xsl:otherwise><p>Nothing has been published here yet.</p></xsl:otherwise>
          </xsl:choose>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li>
      <a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a>
      <div class="meta">
        Published <xsl:call-template name="day"><xsl:with-param name="iso" select="atom:published"/></xsl:call-template>
        <xsl:if test="atom:author/atom:name"> · <xsl:value-of select="atom:author/atom:name"/></xsl:if>
      </div>
      <p><xsl:value-of select="atom:summary"/></p>
    </li>
  </xsl:template>

  <!-- 2026-03-05T00:00:00Z as "5 March 2026", as the site's pages write dates. -->
  <xsl:template name="day">
    <xsl:param name="iso"/>
    <xsl:variable name="month" select="number(substring($iso, 6, 2))"/>
    <xsl:value-of select="number(substring($iso, 9, 2))"/>
    <xsl:text> </xsl:text>
    <xsl:choose>
      <xsl:when test="$month = 1">January</xsl:when>
      <xsl:when test="$month = 2">February</xsl:when>
      <xsl:when test="$month = 3">March</xsl:when>
      <xsl:when test="$month = 4">April</xsl:when>
      <xsl:when test="$month = 5">May</xsl:when>
      <xsl:when test="$month = 6">June</xsl:when>
      <xsl:when test="$month = 7">July</xsl:when>
      <xsl:when test="$month = 8">August</xsl:when>
      <xsl:when test="$month = 9">September</xsl:when>
      <xsl:when test="$month = 10">October</xsl:when>
      <xsl:when test="$month = 11">November</xsl:when>
      <xsl:when test="$month = 12">December</xsl:when>
    </xsl:choose>
    <xsl:text> </xsl:text>
    <xsl:value-of select="substring($iso, 1, 4)"/>
  </xsl:template>
</xsl:stylesheet>
