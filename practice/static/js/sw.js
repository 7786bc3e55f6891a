/* Bridgework's service worker. It keeps only static files (styles, scripts, icons) and a
   plain offline page, never a page with anyone's data: a shared phone's cache shows nothing
   of where its owner was. Pages always come from the network; only when that fails does the
   offline page answer. */
'use strict';

var CACHE = 'bridgework-static-v1';
var OFFLINE_URL = '/offline';
var PRECACHE = [OFFLINE_URL, '/static/css/app.css', '/static/js/app.js'];

function isStatic(url) {
  return url.origin === self.location.origin && url.pathname.indexOf('/static/') === 0;
}

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(PRECACHE.map(function (path) {
      // without cookies: the offline page is the same for everyone
      return fetch(path, { credentials: 'omit', cache: 'no-store' }).then(function (response) {
        if (!response.ok) { throw new Error('precache failed: ' + path); }
        return cache.put(path, response);
      });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) { return key !== CACHE; })
      .map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') { return; }
  var url = new URL(request.url);
  if (isStatic(url)) {
    // the cached copy at once, refreshed from the network for next time
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(request).then(function (cached) {
        var fresh = fetch(request).then(function (response) {
          if (response.ok) { cache.put(request, response.clone()); }
          return response;
        });
        if (cached) { fresh.catch(function () {}); return cached; }
        return fresh;
      });
    }));
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(OFFLINE_URL);
    }));
  }
});
