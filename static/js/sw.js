// Tadrib's service worker (docs/offline.md). Served from /sw.js by offline.views.worker, which
// writes `self.TADRIB` (hashed static URLs, offline pages, endpoints, version) in front of this.
//
// Stores:
// - cache "tadrib-static": static files, the offline page and the strings of each language —
//   the same for every reader, nothing personal;
// - cache "tadrib-p-<partition>": the pages and files of the courses one learner keeps;
// - IndexedDB "tadrib-offline": the current partition, kept courses, the offline queue, its
//   outcomes and quiz answers, every record tagged with its partition.
// A partition is the learner's (offline.selectors.partition_of). When another learner signs in,
// or anyone signs out, every other partition is deleted: a shared computer keeps one
// learner's offline data at a time.
"use strict";

var CONFIG = self.TADRIB;
var STATIC_CACHE = "tadrib-static";
var PARTITION_PREFIX = "tadrib-p-";
var DB_NAME = "tadrib-offline";
var STORES = ["meta", "courses", "queue", "outcomes", "answers"];

// --- IndexedDB ----------------------------------------------------------------------------

function openDb() {
  return new Promise(function (resolve, reject) {
    var request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = function () {
      var db = request.result;
      STORES.forEach(function (name) {
        if (!db.objectStoreNames.contains(name)) {
          db.createObjectStore(name, { keyPath: "key" });
        }
      });
    };
    request.onsuccess = function () {
      resolve(request.result);
    };
    request.onerror = function () {
      reject(request.error);
    };
  });
}

function tx(store, mode, work) {
  return openDb().then(function (db) {
    return new Promise(function (resolve, reject) {
      var transaction = db.transaction(store, mode);
      var result = work(transaction.objectStore(store));
      transaction.oncomplete = function () {
        db.close();
        resolve(result && "result" in result ? result.result : result);
      };
      transaction.onerror = function () {
        db.close();
        reject(transaction.error);
      };
    });
  });
}

function put(store, value) {
  return tx(store, "readwrite", function (s) {
    s.put(value);
  });
}

function getOne(store, key) {
  return tx(store, "readonly", function (s) {
    return s.get(key);
  });
}

function all(store) {
  return tx(store, "readonly", function (s) {
    return s.getAll();
  }).then(function (rows) {
    return rows || [];
  });
}

function remove(store, key) {
  return tx(store, "readwrite", function (s) {
    s.delete(key);
  });
}

function current() {
  return getOne("meta", "current").then(function (row) {
    return row ? row.value : null;
  });
}

function mine(store, partition) {
  return all(store).then(function (rows) {
    return rows.filter(function (row) {
      return partition && row.partition === partition;
    });
  });
}

// Delete every partition but `keep` (null: all of them), in the caches and the database.
function purgeExcept(keep) {
  var caches_ = caches.keys().then(function (names) {
    return Promise.all(
      names
        .filter(function (name) {
          return name.indexOf(PARTITION_PREFIX) === 0 && name !== PARTITION_PREFIX + keep;
        })
        .map(function (name) {
          return caches.delete(name);
        })
    );
  });
  var records = Promise.all(
    ["courses", "queue", "outcomes", "answers"].map(function (store) {
      return tx(store, "readwrite", function (s) {
        var cursor = s.openCursor();
        cursor.onsuccess = function () {
          var row = cursor.result;
          if (row) {
            if (!keep || row.value.partition !== keep) {
              row.delete();
            }
            row.continue();
          }
        };
      });
    })
  );
  return Promise.all([caches_, records]);
}

// --- Keeping courses -----------------------------------------------------------------------

function fetchOk(url, headers) {
  // "no-store": the server's answer, never the HTTP cache's, and the page is not put there.
  var init = { credentials: "same-origin", headers: headers || {}, cache: "no-store" };
  return fetch(url, init).then(function (r) {
    if (!r.ok || r.redirected) {
      throw new Error("not kept: " + url);
    }
    return r;
  });
}

function byteLength(response) {
  return response
    .clone()
    .arrayBuffer()
    .then(function (body) {
      return body.byteLength;
    });
}

function keepStatic(language) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    // The Arabic font only for Arabic pages (the only ones whose stylesheet asks for it).
    var urls = CONFIG.assets.filter(function (url) {
      return language === "ar" || url.indexOf("/fonts/") === -1;
    });
    if (CONFIG.offlinePages[language]) {
      urls.push(CONFIG.offlinePages[language], CONFIG.strings[language]);
    }
    return Promise.all(
      urls.map(function (url) {
        return cache.match(url).then(function (hit) {
          return hit || fetchOk(url).then(function (r) { return cache.put(url, r); });
        });
      })
    );
  });
}

// Download what `bundleUrl` (offline.views.course) lists into the learner's cache.
function keep(partition, bundleUrl) {
  return fetchOk(bundleUrl)
    .then(function (r) {
      return r.json();
    })
    .then(function (bundle) {
      return caches.open(PARTITION_PREFIX + partition).then(function (cache) {
        var total = 0;
        var pages = bundle.pages.map(function (url) {
          // Fetched to be stored, not read: the server does not record a visit.
          return fetchOk(url, { "X-Tadrib-Purpose": "offline" }).then(function (r) {
            return byteLength(r).then(function (n) {
              total += n;
              return cache.put(url, r);
            });
          });
        });
        var assets = bundle.assets.map(function (url) {
          return fetchOk(url).then(function (r) {
            return byteLength(r).then(function (n) {
              total += n;
              return cache.put(url, r);
            });
          });
        });
        return Promise.all(pages.concat(assets, [keepStatic(bundle.language)])).then(function () {
          var record = {
            key: partition + ":" + bundle.course + ":" + bundle.language,
            partition: partition,
            course: bundle.course,
            language: bundle.language,
            title: bundle.title,
            version: bundle.version,
            pages: bundle.pages,
            assets: bundle.assets,
            bundleUrl: bundleUrl,
            bytes: total,
            keptAt: new Date().toISOString(),
          };
          return dropUnused(partition, record).then(function () {
            return put("courses", record).then(function () {
              return record;
            });
          });
        });
      });
    });
}

// Remove from the cache the URLs of `old` (or of every course) no other kept course uses.
function dropUnused(partition, replacing, removing) {
  return mine("courses", partition).then(function (courses) {
    var used = {};
    courses.forEach(function (course) {
      if (course.key === (removing && removing.key)) {
        return;
      }
      var list = course.key === (replacing && replacing.key) ? replacing : course;
      list.pages.concat(list.assets).forEach(function (url) {
        used[url] = true;
      });
    });
    if (replacing) {
      replacing.pages.concat(replacing.assets).forEach(function (url) {
        used[url] = true;
      });
    }
    var old = courses.filter(function (course) {
      return course.key === ((replacing || removing) || {}).key;
    });
    return caches.open(PARTITION_PREFIX + partition).then(function (cache) {
      var gone = [];
      old.forEach(function (course) {
        course.pages.concat(course.assets).forEach(function (url) {
          if (!used[url]) {
            gone.push(cache.delete(url));
          }
        });
      });
      return Promise.all(gone);
    });
  });
}

function unkeep(partition, key) {
  return getOne("courses", key).then(function (record) {
    if (!record || record.partition !== partition) {
      return null;
    }
    return dropUnused(partition, null, record).then(function () {
      return remove("courses", key);
    });
  });
}

// After a publish (the generation moved): download again every kept course whose version
// changed, drop the ones no longer there.
function refresh(partition) {
  return mine("courses", partition).then(function (courses) {
    return Promise.all(
      courses.map(function (course) {
        return fetch(course.bundleUrl, { credentials: "same-origin", cache: "no-store" })
          .then(function (r) {
            if (r.status === 404) {
              return unkeep(partition, course.key);
            }
            if (!r.ok) {
              return null;
            }
            return r.json().then(function (bundle) {
              if (bundle.version !== course.version) {
                return keep(partition, course.bundleUrl);
              }
              return null;
            });
          })
          .catch(function () {
            return null;
          });
      })
    );
  });
}

// --- The offline queue ---------------------------------------------------------------------

var flushing = null;

function flush(csrf) {
  if (flushing) {
    return flushing;
  }
  flushing = current()
    .then(function (partition) {
      return mine("queue", partition).then(function (items) {
        if (!items.length) {
          return [];
        }
        items.sort(function (a, b) {
          return a.at < b.at ? -1 : 1;
        });
        var token = csrf || items[items.length - 1].csrf;
        var payload = items.map(function (item) {
          return item.payload;
        });
        return fetch(CONFIG.sync, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": token },
          body: JSON.stringify({ items: payload }),
        }).then(function (r) {
          if (!r.ok) {
            return null;
          }
          return r.json().then(function (answer) {
            return Promise.all(
              answer.results.map(function (result) {
                if (!result.id) {
                  return null;
                }
                return remove("queue", result.id).then(function () {
                  return put("outcomes", { key: result.id, partition: partition, outcome: result });
                });
              })
            ).then(function () {
              tellPages();
              return answer.results;
            });
          });
        });
      });
    })
    .catch(function () {
      return null; // not sent: the link is still down
    })
    .then(function (results) {
      flushing = null;
      return results;
    });
  return flushing;
}

// Outcomes are waiting (sent by Background Sync, say): the open pages show them.
function tellPages() {
  return self.clients.matchAll({ type: "window" }).then(function (pages) {
    pages.forEach(function (page) {
      page.postMessage({ type: "outcomes" });
    });
  });
}

function enqueue(item) {
  return current().then(function (partition) {
    if (!partition) {
      throw new Error("no learner");
    }
    return put("queue", {
      key: item.payload.id,
      partition: partition,
      at: item.payload.at,
      csrf: item.csrf,
      announce: !!item.announce,
      payload: item.payload,
    }).then(function () {
      if (self.registration.sync) {
        return self.registration.sync.register("tadrib-queue").catch(function () {});
      }
      return null;
    });
  });
}

function takeOutcomes() {
  return current().then(function (partition) {
    return mine("outcomes", partition).then(function (rows) {
      return Promise.all(
        rows.map(function (row) {
          return remove("outcomes", row.key);
        })
      ).then(function () {
        return rows.map(function (row) {
          return row.outcome;
        });
      });
    });
  });
}

// --- Messages from the pages (static/js/offline.js) ----------------------------------------

function onUser(data) {
  return current().then(function (before) {
    return getOne("meta", "generation").then(function (generation) {
      var changed = before !== data.partition;
      var work = changed ? purgeExcept(data.partition) : Promise.resolve();
      // The offline page and strings of the language this learner reads, kept for later.
      keepStatic(data.language).catch(function () {});
      return work
        .then(function () {
          return put("meta", { key: "current", value: data.partition });
        })
        .then(function () {
          if (!changed && generation && generation.value !== data.generation) {
            return refresh(data.partition);
          }
          return null;
        })
        .then(function () {
          return put("meta", { key: "generation", value: data.generation });
        });
    });
  });
}

function answersKey(partition, attempt) {
  return partition + ":" + attempt;
}

var HANDLERS = {
  user: onUser,
  "signed-out": function () {
    return purgeExcept(null).then(function () {
      return remove("meta", "current");
    });
  },
  keep: function (data) {
    return current().then(function (partition) {
      if (!partition) {
        throw new Error("no learner");
      }
      return keep(partition, data.bundleUrl);
    });
  },
  remove: function (data) {
    return current().then(function (partition) {
      return unkeep(partition, data.key);
    });
  },
  "remove-all": function () {
    return current().then(function (partition) {
      return mine("courses", partition).then(function (courses) {
        return Promise.all(
          courses.map(function (course) {
            return remove("courses", course.key);
          })
        ).then(function () {
          return caches.delete(PARTITION_PREFIX + partition);
        });
      });
    });
  },
  status: function () {
    return current().then(function (partition) {
      return mine("courses", partition).then(function (courses) {
        return { partition: partition, courses: courses };
      });
    });
  },
  queue: enqueue,
  flush: function (data) {
    return flush(data.csrf);
  },
  outcomes: takeOutcomes,
  // Whether offline.js must load the rest: something queued or received for this learner.
  pending: function () {
    return current().then(function (partition) {
      return Promise.all([mine("queue", partition), mine("outcomes", partition)]).then(function (both) {
        return both[0].length + both[1].length > 0;
      });
    });
  },
  // Queued items the learner has not been told about yet (completions queued by the worker).
  announce: function () {
    return current().then(function (partition) {
      return mine("queue", partition).then(function (items) {
        var fresh = items.filter(function (item) {
          return item.announce;
        });
        return Promise.all(
          fresh.map(function (item) {
            item.announce = false;
            return put("queue", item);
          })
        ).then(function () {
          return fresh.map(function (item) {
            return item.payload;
          });
        });
      });
    });
  },
  "answers-save": function (data) {
    return current().then(function (partition) {
      if (!partition) {
        return null;
      }
      return put("answers", {
        key: answersKey(partition, data.attempt),
        partition: partition,
        fields: data.fields,
        savedAt: new Date().toISOString(),
      });
    });
  },
  "answers-load": function (data) {
    return current().then(function (partition) {
      return getOne("answers", answersKey(partition, data.attempt));
    });
  },
  "answers-drop": function (data) {
    return current().then(function (partition) {
      return remove("answers", answersKey(partition, data.attempt));
    });
  },
};

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var handler = HANDLERS[data.type];
  var port = event.ports && event.ports[0];
  if (!handler) {
    return;
  }
  var work = Promise.resolve()
    .then(function () {
      return handler(data);
    })
    .then(
      function (result) {
        if (port) {
          port.postMessage({ ok: true, result: result === undefined ? null : result });
        }
      },
      function (error) {
        if (port) {
          port.postMessage({ ok: false, error: String(error) });
        }
      }
    );
  event.waitUntil(work);
});

self.addEventListener("sync", function (event) {
  if (event.tag === "tadrib-queue") {
    event.waitUntil(flush());
  }
});

// --- Life cycle ----------------------------------------------------------------------------

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then(function (cache) {
        return cache.keys().then(function (requests) {
          // A new deployment: static URLs are hashed, so the old ones are never asked for.
          return Promise.all(
            requests.map(function (request) {
              return cache.delete(request);
            })
          );
        });
      })
      .then(function () {
        return self.skipWaiting();
      })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

// --- Answering requests --------------------------------------------------------------------

function languageOf(url) {
  var first = url.pathname.split("/")[1];
  if (CONFIG.offlinePages[first]) {
    return first;
  }
  return Object.keys(CONFIG.offlinePages)[0];
}

function fromPartition(request) {
  return current().then(function (partition) {
    if (!partition) {
      return null;
    }
    return caches.open(PARTITION_PREFIX + partition).then(function (cache) {
      return cache.match(request.url, { ignoreVary: true });
    });
  });
}

function isKept(partition, url) {
  return mine("courses", partition).then(function (courses) {
    return courses.some(function (course) {
      return course.pages.indexOf(url) !== -1;
    });
  });
}

function navigate(request, url) {
  return fetch(request).then(
    function (response) {
      // A kept page read online: keep the copy as the learner now sees it.
      if (response.ok && !response.redirected && response.type === "basic") {
        var copy = response.clone();
        current().then(function (partition) {
          if (!partition) {
            return null;
          }
          return isKept(partition, url.pathname).then(function (kept) {
            if (kept) {
              return caches.open(PARTITION_PREFIX + partition).then(function (cache) {
                return cache.put(url.pathname, copy);
              });
            }
            return null;
          });
        });
      }
      return response;
    },
    function () {
      return fromPartition(new Request(url.pathname)).then(function (hit) {
        if (hit) {
          return hit;
        }
        return caches.match(CONFIG.offlinePages[languageOf(url)]).then(function (page) {
          return page || Response.error();
        });
      });
    }
  );
}

function uuid() {
  if (self.crypto && crypto.randomUUID) {
    return crypto.randomUUID();
  }
  var b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
}

// "Mark as complete" is a plain form. When its POST cannot reach the server (offline, or the
// link dropped), the completion is queued with a client-made id and the learner goes on to
// where the form leads, as if it had been sent; the page there says it is waiting.
function completeOrQueue(request, url, pageId) {
  var copy = request.clone();
  return fetch(request).catch(function () {
    return copy.formData().then(function (form) {
      var next = new URL(form.get("next") || "/", self.location.origin);
      var target = next.origin === self.location.origin ? next.pathname : "/";
      return enqueue({
        csrf: form.get("csrfmiddlewaretoken"),
        announce: true,
        payload: { id: uuid(), kind: "complete", page: pageId, at: new Date().toISOString() },
      }).then(function () {
        return Response.redirect(target, 303);
      });
    });
  });
}

var COMPLETE_PATH = /\/activities\/(\d+)\/complete\/$/;

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  var complete = request.method === "POST" && url.pathname.match(COMPLETE_PATH);
  if (complete && request.mode === "navigate") {
    event.respondWith(completeOrQueue(request, url, parseInt(complete[1], 10)));
    return;
  }
  if (request.method !== "GET") {
    return;
  }
  if (url.pathname.indexOf("/admin/") === 0 || url.pathname === "/sw.js") {
    return;
  }
  if (request.mode === "navigate") {
    if (url.search) {
      return; // never kept: the server's answer or the browser's own error
    }
    event.respondWith(navigate(request, url));
    return;
  }
  if (isStrings(url.pathname)) {
    // Network first (they change with a deployment's translations), the kept copy offline.
    event.respondWith(
      fetch(request).then(
        function (response) {
          if (response.ok) {
            var copy = response.clone();
            caches.open(STATIC_CACHE).then(function (cache) {
              return cache.put(request, copy);
            });
          }
          return response;
        },
        function () {
          return caches.match(request, { ignoreVary: true }).then(function (hit) {
            return hit || Response.error();
          });
        }
      )
    );
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(
      caches.open(STATIC_CACHE).then(function (cache) {
        return cache.match(request, { ignoreVary: true }).then(function (hit) {
          return (
            hit ||
            fetch(request).then(function (response) {
              if (response.ok) {
                cache.put(request, response.clone());
              }
              return response;
            })
          );
        });
      })
    );
    return;
  }
  if (url.pathname.indexOf("/media/") === 0 || url.pathname.indexOf("/documents/") === 0) {
    event.respondWith(
      fromPartition(request).then(function (hit) {
        return hit || fetch(request);
      })
    );
  }
});

function isStrings(pathname) {
  return Object.keys(CONFIG.strings).some(function (language) {
    return CONFIG.strings[language] === pathname;
  });
}
