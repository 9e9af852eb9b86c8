// On every page, so kept small: what it does and why is in docs/offline.md ("The loader").
(function () {
  "use strict";
  var n = navigator, w = n.serviceWorker, d = document;
  if (!w || !window.fetch) {
    return;
  }
  var q = d.querySelector.bind(d);
  var out = q('form[action$="/account/sign-out/"]');
  var kept = q("[data-offline-kept]");
  var T = (window.TadribOffline = { signedIn: !!out });
  var no = function () {};
  var ask = (T.ask = function (message, timeout) {
    return w.ready.then(function (r) {
      return new Promise(function (yes, fail) {
        var c = new MessageChannel();
        var timer = timeout && setTimeout(fail, timeout);
        c.port1.onmessage = function (e) {
          clearTimeout(timer);
          (e.data.ok ? yes : fail)(e.data.result);
        };
        r.active.postMessage(message, [c.port2]);
      });
    });
  });
  function more() {
    var src = q('meta[name="tadrib-offline-more"]');
    if (src && !T.more) {
      T.more = d.createElement("script");
      T.more.src = src.content;
      d.head.appendChild(T.more);
    }
  }
  addEventListener("offline", more);
  if (!n.onLine || kept || q("[data-offline-course],[data-offline-storage],form.quiz-form")) {
    more();
  }
  if (!out) {
    if (!kept && w.controller) {
      w.controller.postMessage({ type: "signed-out" });
    }
    return;
  }
  w.register("/sw.js", { scope: "/" }).catch(no);
  var csrf = (T.csrf = function (form) {
    var input = (form || d).querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  });
  T.ready = (n.onLine ? fetch("/offline/state.json") : Promise.resolve(0))
    .then(function (r) {
      return r && r.ok && r.json();
    })
    .then(function (s) {
      return s && ask({ type: "user", partition: s.partition, generation: s.generation, language: d.documentElement.lang });
    })
    .catch(no);
  T.checked = T.ready
    .then(function () {
      return ask({ type: "pending" });
    })
    .then(function (pending) {
      if (pending) {
        more();
      }
    }, no);
  w.addEventListener("message", function (e) {
    if (e.data && e.data.type === "outcomes") {
      more();
    }
  });
  out.addEventListener("submit", function (e) {
    var done = function () {
      out.dataset.purged = 1;
      out.submit();
    };
    if (!out.dataset.purged) {
      e.preventDefault();
      (n.onLine ? ask({ type: "flush", csrf: csrf(out) }, 3000) : Promise.resolve())
        .catch(no)
        .then(function () {
          return ask({ type: "signed-out" }, 2000);
        })
        .then(done, done);
    }
  });
})();
