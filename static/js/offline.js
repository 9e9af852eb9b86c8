// Tadrib offline (docs/offline.md), on every page, kept small: registers the service worker on
// signed-in pages, tells it whose stores are current, purges them before signing out, and
// loads offline-more.js (banner, sending the queue, outcomes, "Available offline", storage,
// quiz answers, the offline page's list) only where it has work: a page with one of its boxes
// or a quiz attempt, offline, or when the worker holds something queued or received.
(function () {
  "use strict";
  var n = navigator;
  var w = n.serviceWorker;
  var d = document;
  if (!w || !window.fetch) {
    return;
  }
  var signOut = d.querySelector('form[action$="/account/sign-out/"]');
  var kept = d.querySelector("[data-offline-kept]"); // the offline page
  var meta = d.querySelector('meta[name="tadrib-offline-more"]');
  var T = (window.TadribOffline = { signedIn: !!signOut });
  var nothing = function () {};

  // One request to the worker, answered through a message channel.
  var ask = (T.ask = function (message, timeout) {
    return w.ready.then(function (registration) {
      return new Promise(function (resolve, reject) {
        var channel = new MessageChannel();
        var timer = timeout && setTimeout(reject, timeout);
        channel.port1.onmessage = function (event) {
          clearTimeout(timer);
          (event.data.ok ? resolve : reject)(event.data.result);
        };
        registration.active.postMessage(message, [channel.port2]);
      });
    });
  });

  function more() {
    if (meta && !T.loading) {
      T.loading = 1;
      var tag = d.createElement("script");
      tag.src = meta.content;
      d.head.appendChild(tag);
    }
  }

  addEventListener("offline", more);
  if (!n.onLine || kept || d.querySelector("[data-offline-course],[data-offline-storage],form.quiz-form")) {
    more();
  }

  if (!signOut) {
    // An anonymous page: the worker keeps nothing of anyone.
    if (!kept && w.controller) {
      w.controller.postMessage({ type: "signed-out" });
    }
    return;
  }

  w.register("/sw.js", { scope: "/" }).catch(nothing);
  var csrf = (T.csrf = function (form) {
    var input = (form || d).querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  });

  // Who this browser's stores belong to, and whether content changed since.
  T.ready = (n.onLine
    ? fetch("/offline/state.json", { credentials: "same-origin" })
        .then(function (r) {
          return r.ok && r.json();
        })
        .then(function (state) {
          return state && ask({
            type: "user",
            partition: state.partition,
            generation: state.generation,
            language: d.documentElement.lang || "en",
          });
        })
    : Promise.resolve()
  ).catch(nothing);

  // Anything queued or received: the rest sends it and shows what came back.
  T.ready
    .then(function () {
      return ask({ type: "pending" });
    })
    .then(function (pending) {
      if (pending) {
        more();
      }
    })
    .catch(nothing);
  w.addEventListener("message", function (event) {
    if (event.data && event.data.type === "outcomes") {
      more();
    }
  });

  // Signing out: send what is queued, then purge this learner's stores.
  signOut.addEventListener("submit", function (event) {
    if (signOut.dataset.purged) {
      return;
    }
    event.preventDefault();
    var done = function () {
      signOut.dataset.purged = "1";
      signOut.submit();
    };
    (n.onLine ? ask({ type: "flush", csrf: csrf(signOut) }, 3000) : Promise.resolve())
      .catch(nothing)
      .then(function () {
        return ask({ type: "signed-out" }, 2000);
      })
      .then(done, done);
  });
})();
