// Jejak in the browser, for pages rendered on the server (Leptos islands).
// Every page works without this script: forms post and the server answers
// with the next page. With it, three things change:
// 1. The islands (the few interactive parts: the unit picker, the rule
//    composer, live filters) are hydrated from the WebAssembly client,
//    which is downloaded only by pages that have one.
// 2. Links and forms fetch the next page and put it in place of the current
//    one, without a reload: what the page shows is what the server rendered,
//    as without JavaScript, but the document, its scroll position after a
//    form and the browser's history stay.
// 3. `.page[data-hydrated]` turns "true", so tests can tell the two apart.
// Served as /client.js (built into the server, versioned by its content);
// the page's one inline script imports it and calls `start(load)`, where
// `load()` imports the WebAssembly client and resolves to its module.
export function start(load) {
  let client = null;
  let loading = null;
  function loadClient() {
    if (!loading) {
      loading = load().then((module) => {
        module.hydrate();
        client = module;
      });
    }
    return loading;
  }

  // Islands: `<leptos-island data-component="_island_X">` elements, each
  // hydrated by the client's export of the same name. Their server-rendered
  // children (`<leptos-children>`) may hold islands of their own.
  const childrenCallbacks = [];
  function hydrateIslands(node) {
    if (!client || node.nodeType !== Node.ELEMENT_NODE) return;
    const tag = node.tagName.toLowerCase();
    if (tag === "leptos-island") {
      const island = client[node.dataset.component];
      if (island && !node.$$hydrated) {
        const cb = childrenCallbacks[childrenCallbacks.length - 1];
        if (cb) cb();
        island(node);
        node.$$hydrated = true;
      }
    }
    if (tag === "leptos-children") childrenCallbacks.push(node.$$on_hydrate);
    for (const child of node.children) hydrateIslands(child);
    if (tag === "leptos-children") childrenCallbacks.pop();
  }
  async function wake() {
    if (document.querySelector("leptos-island")) {
      await loadClient();
      hydrateIslands(document.body);
    }
    const page = document.querySelector(".page");
    if (page) page.dataset.hydrated = "true";
  }

  // Navigation: the page a link or form leads to replaces the current
  // body. Anything that is not an HTML page of this site (a CSV, a
  // calendar file, another origin) is left to the browser, and so are
  // links and forms marked `data-plain` (downloads).
  let navigation = 0;
  async function go(request, { push = true, keepScroll = false } = {}) {
    const mine = ++navigation;
    let response;
    try {
      response = await fetch(request);
    } catch (e) {
      // Offline or refused: let the browser try, and say what happened.
      window.location.assign(request.url);
      return;
    }
    const type = response.headers.get("content-type") || "";
    if (!type.startsWith("text/html")) {
      window.location.assign(response.url);
      return;
    }
    const html = await response.text();
    if (mine !== navigation) return;
    const next = new DOMParser().parseFromString(html, "text/html");
    const scroll = window.scrollY;
    document.title = next.title;
    document.documentElement.lang = next.documentElement.lang;
    document.body.replaceWith(document.adoptNode(next.body));
    const url = response.url || request.url;
    if (push && url !== window.location.href) {
      window.history.pushState({ jejak: true }, "", url);
    } else {
      window.history.replaceState({ jejak: true }, "", url);
    }
    wake();
    if (keepScroll) {
      window.scrollTo(0, scroll);
    } else {
      const target = new URL(url).hash.slice(1);
      const anchor = target && document.getElementById(target);
      if (anchor) anchor.scrollIntoView();
      else window.scrollTo(0, 0);
    }
    // Focus what the server marked as refused, else the main area, so a
    // screen reader hears the new page.
    const focus =
      document.querySelector("[aria-invalid=true]") ||
      document.querySelector(".notice, .error-box") ||
      document.getElementById("isi");
    if (focus) {
      if (!focus.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(focus.tagName)) {
        focus.setAttribute("tabindex", "-1");
      }
      focus.focus({ preventScroll: keepScroll });
    }
  }

  function sameSiteUrl(href) {
    const url = new URL(href, document.baseURI);
    return url.origin === window.location.origin ? url : null;
  }

  document.addEventListener("click", (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const a = ev.target.closest && ev.target.closest("a[href]");
    if (!a || a.target || a.hasAttribute("download") || a.dataset.plain !== undefined) return;
    const url = sameSiteUrl(a.getAttribute("href"));
    if (!url) return;
    // A jump within this page is the browser's job.
    if (url.pathname === window.location.pathname && url.search === window.location.search && url.hash) return;
    ev.preventDefault();
    go(new Request(url, { headers: { Accept: "text/html" } }));
  });

  document.addEventListener("submit", (ev) => {
    if (ev.defaultPrevented) return;
    const form = ev.target;
    if (!(form instanceof HTMLFormElement) || form.target || form.dataset.plain !== undefined) return;
    const method = (ev.submitter?.getAttribute("formmethod") || form.method || "get").toUpperCase();
    const url = sameSiteUrl(ev.submitter?.getAttribute("formaction") || form.getAttribute("action") || window.location.href);
    if (!url || (method !== "GET" && method !== "POST")) return;
    ev.preventDefault();
    const data = new FormData(form, ev.submitter);
    const multipart = form.enctype === "multipart/form-data";
    if (method === "GET") {
      url.search = new URLSearchParams(data).toString();
      go(new Request(url, { headers: { Accept: "text/html" } }));
    } else {
      const body = multipart ? data : new URLSearchParams(data);
      // A form posts back to the page it is on: keep the place on it.
      go(new Request(url, { method: "POST", body, headers: { Accept: "text/html" } }), { keepScroll: true });
    }
  });

  window.addEventListener("popstate", () => {
    go(new Request(window.location.href, { headers: { Accept: "text/html" } }), { push: false });
  });

  wake();
}
