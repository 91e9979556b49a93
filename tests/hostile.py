"""Hostile review bodies: every route to script or restyling found in review, as data.

Each payload sets `window.__pwned` if it ever runs, so the same list drives the validate tests
(tests/test_hostile_bodies.py) and the browser test that loads a site built from it with the
validate check switched off (tests/test_browser.py), where only the sanitiser stands in the way.
"""

PWN = "window.__pwned=1"
IMAGE = "an image (none are published yet"

# name -> (payload, what validate must say, the payload line that says it, counted from 0)
VECTORS = {
    "split-tag": (f"<div>\n<img src=x\nonerror={PWN}>\n</div>", IMAGE, 1),
    "split-attribute": (f'<p>A <img src="x"\n  onerror="{PWN}"></p>', IMAGE, 0),
    "split-tag-anchor": (f'<div>\n<a href="#x"\nonmouseover={PWN}>x</a>\n</div>', "event handler 'onmouseover'", 2),
    "split-attribute-anchor": (f'<p>A <a href="#x"\n  onfocus="{PWN}">x</a></p>', "event handler 'onfocus'", 1),
    "svg-slash-onload": (f"<svg/onload={PWN}>", "element <svg>", 0),
    "attr-list-onfocus": (f"A paragraph.\n{{: autofocus onfocus={PWN} }}", "event handler 'onfocus'", 1),
    "attr-list-on-heading": (f"### Heading {{: onclick={PWN} }}", "event handler 'onclick'", 0),
    "entity-encoded-javascript": (f"[click](&#106;avascript:{PWN})", "'javascript:' address", 0),
    "named-entity-colon": (f'<a href="javascript&colon;{PWN}">x</a>', "'javascript:' address", 0),
    "tab-split-javascript": (f'<a href="java&#9;script:{PWN}">x</a>', "'javascript:' address", 0),
    "upper-case-javascript": (f'<a href="  JaVaScRiPt:{PWN}">x</a>', "'javascript:' address", 0),
    "reference-link": (f"See [the report][1].\n\n[1]: javascript:{PWN}", "'javascript:' address", 2),
    "markdown-image": (f"![chart](javascript:{PWN})", IMAGE, 0),
    "markdown-image-elsewhere": ("A chart.\n\n![chart](https://tracker.example/pixel.gif)", IMAGE, 2),
    "markdown-link-javascript": (f"[chart](javascript:{PWN})", "'javascript:' address", 0),
    "data-link": ("[x](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)", "'data:' address", 0),
    "svg-animate": (f'<svg><animate onbegin="{PWN}" attributeName="x" dur="1s"/></svg>', "element <svg>", 0),
    "md-in-html": (f'<div markdown="1" onmouseover="{PWN}">\n\n*text*\n\n</div>', "event handler 'onmouseover'", 0),
    "script": (f"<script>{PWN}</script>", "element <script>", 0),
    "self-closing": (f"<div>\n<img src=x onerror={PWN} />\n</div>", IMAGE, 1),
    "img-onerror": (f'<img src="x" onerror="{PWN}">', IMAGE, 0),
    "iframe": (f'<iframe src="javascript:{PWN}"></iframe>', "element <iframe>", 0),
    "details-ontoggle": (f"<details open ontoggle={PWN}><summary>x</summary></details>", "event handler 'ontoggle'", 0),
    "object": ('<object data="data:text/html,x"></object>', "element <object>", 0),
    "form": (f'<form action="javascript:{PWN}"><button>Go</button></form>', "element <form>", 0),
    "math-xlink": (f'<math><mi xlink:href="javascript:{PWN}">x</mi></math>', "element <math>", 0),
    "base": ('<base href="https://evil.example/">', "element <base>", 0),
    "meta-refresh": ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "element <meta>", 0),
    "style-element": ("<style>.sg-warning{display:none}</style>", "element <style>", 0),
    "style-attribute": ('<div style="position:fixed;inset:0;background:#fff;z-index:9">Nothing to see</div>',
                        "'style' attribute", 0),
    "attr-list-style": ("Cover.\n{: style=\"position:fixed;inset:0;background:#fff\" }", "'style' attribute", 1),
    "attr-list-class": ("Cover.\n{: .md-dialog }", "class 'md-dialog' on <p>", 1),
    "rel-opener": ('<a href="https://example.org/" rel="opener">x</a>', "rel 'opener'", 0),
    "srcset": ('<img src="a.png" srcset="https://tracker.example/x.png 2x" alt="">', IMAGE, 0),
    "formaction": (f'<a href="#" formaction="javascript:{PWN}">x</a>', "attribute 'formaction' on <a>", 0),
    "template": (f"<template><script>{PWN}</script></template>", "element <template>", 0),
    "comment-breakout": (f"<!--><script>{PWN}</script>-->", "HTML that browsers read differently", 0),
    "comment-breakout-inline": (f"Text <!--><img src=x onerror={PWN}>--> more", "HTML that browsers read differently", 0),
    "noscript": (f"<noscript><p title=\"</noscript><img src=x onerror={PWN}>\"></noscript>", "element <noscript>", 0),
    "admonition-class": ("!!! md-dialog\n    Cover.", "class 'md-dialog' on <div>", 0),
}
