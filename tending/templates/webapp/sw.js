{% autoescape off %}// Tending's service worker (tending/ops/webapp.py). It keeps the static files
// and the offline page, nothing else: every page comes from the network, so no
// page holding anything a person wrote is ever stored on the phone.
"use strict";
const VERSION = "{{ version }}";
const CACHE = "tending-static-" + VERSION;
const STATIC_PREFIX = "{{ static_prefix }}";
const OFFLINE_URL = "{{ offline_url }}";
const ASSETS = {{ assets }};

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // Fetched without cookies: the offline page is the same for everyone.
    const offline = await fetch(OFFLINE_URL, { credentials: "omit", cache: "no-store" });
    if (!offline.ok) throw new Error("offline page " + offline.status);
    await cache.put(OFFLINE_URL, offline);
    await cache.addAll(ASSETS);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Pages: the network only; the offline page when it cannot be reached.
    event.respondWith(fetch(request).catch(async () => {
      const cache = await caches.open(CACHE);
      return (await cache.match(OFFLINE_URL)) || Response.error();
    }));
    return;
  }
  if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith((async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(request, { ignoreVary: true });
      if (hit) return hit;
      const response = await fetch(request);
      if (response.ok) cache.put(request, response.clone());
      return response;
    })());
  }
  // Anything else (htmx fragments, uploads, feeds) goes to the network untouched.
});

// A push says only that something happened: a title, a link inside the site
// and a tag under which a newer one replaces an older one (docs/notifications.md).
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  const title = typeof data.title === "string" && data.title ? data.title : "Tending";
  const options = {
    body: typeof data.body === "string" ? data.body : "",
    tag: typeof data.tag === "string" ? data.tag : "tending",
    data: { url: sameSite(data.url) },
    icon: "{{ icon }}",
    badge: "{{ icon }}",
  };
  event.waitUntil(self.registration.showNotification(title, options));
});

function sameSite(url) {
  try {
    const target = new URL(url || "/", self.location.origin);
    return target.origin === self.location.origin ? target.pathname + target.search : "/";
  } catch (e) {
    return "/";
  }
}

// Tapping a notification opens its page: in a window of the app that is
// already open (brought forward), or else in a new one.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = sameSite(event.notification.data && event.notification.data.url);
  const opening = openPage(url);
  try {
    event.waitUntil(opening);
  } catch (e) {
    // Only an event a script dispatched itself (a test) lands here; the page
    // still opens.
  }
});

async function openPage(url) {
  const windows = await self.clients.matchAll({ type: "window" });
  for (const client of windows) {
    try { await client.focus(); } catch (e) { /* focusing needs the tap itself */ }
    try { return await client.navigate(url); } catch (e) { /* try the next one */ }
  }
  return self.clients.openWindow(url);
}
{% endautoescape %}
