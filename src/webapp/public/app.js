// The settings Mini App: one form over a chat's preferences, saved as a whole.
// No framework, no build step; every word comes from the API's `texts`.
// Contract with the server: src/webapp/api.ts (the JSON it serves and takes).

(() => {
  /** shown only when not even the texts could be loaded */
  const FALLBACK = "Could not load";
  const STORE_KEY = "newsbot-webapp-launch";
  const THEME_KEYS = [
    "bg_color",
    "text_color",
    "hint_color",
    "link_color",
    "button_color",
    "button_text_color",
    "secondary_bg_color",
    "header_bg_color",
    "accent_text_color",
    "section_bg_color",
    "section_header_text_color",
    "section_separator_color",
    "subtitle_text_color",
    "destructive_text_color",
  ];
  const KINDS = ["include", "exclude", "phrases"];

  const tg = window.Telegram?.WebApp;
  const $ = (sel) => document.querySelector(sel);

  const state = {
    initData: "",
    texts: {},
    chats: [],
    chat: null,
    /** the GET settings answer shown now */
    data: null,
    kw: { include: [], exclude: [], phrases: [] },
    /** chosen ids the server no longer offers: kept as they are */
    keptSources: [],
    keptLangs: [],
    baseline: "",
    saving: false,
    /** a newer load makes older answers moot */
    generation: 0,
  };

  // ---------- launch parameters: initData and theme ----------

  /** tgWebAppData / tgWebAppThemeParams from the fragment (or the query), remembered for a reload */
  function launchParams() {
    const hash = new URLSearchParams(location.hash.slice(1));
    const query = new URLSearchParams(location.search);
    const get = (name) => hash.get(name) ?? query.get(name);
    let launch = { data: get("tgWebAppData"), theme: get("tgWebAppThemeParams") };
    try {
      if (launch.data) sessionStorage.setItem(STORE_KEY, JSON.stringify(launch));
      else launch = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? "null") ?? launch;
    } catch {
      // storage may be unavailable in a sandboxed frame
    }
    return launch;
  }

  function readInitData(launch) {
    const injected = tg?.initData;
    return typeof injected === "string" && injected !== "" ? injected : (launch.data ?? "");
  }

  function parseTheme(raw) {
    if (!raw) return {};
    try {
      const theme = JSON.parse(raw);
      return theme && typeof theme === "object" ? theme : {};
    } catch {
      return {};
    }
  }

  /** Telegram's colours → --tg-theme-* on :root; dark controls on a dark background */
  function applyTheme(theme) {
    const root = document.documentElement;
    for (const key of THEME_KEYS) {
      const value = theme[key];
      if (typeof value === "string" && /^#[0-9a-f]{3,8}$/i.test(value)) {
        root.style.setProperty(`--tg-theme-${key.replace(/_/g, "-")}`, value);
      }
    }
    const bg = theme.secondary_bg_color ?? theme.bg_color;
    if (typeof bg === "string") root.style.colorScheme = isDark(bg) ? "dark" : "light";
  }

  function isDark(hex) {
    const h = hex.replace("#", "");
    const full = h.length === 3 ? [...h].map((c) => c + c).join("") : h.slice(0, 6);
    const n = Number.parseInt(full, 16);
    if (Number.isNaN(n)) return false;
    const luminance = 0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255);
    return luminance < 128;
  }

  // ---------- small helpers ----------

  /** a text of the page, `{name}` filled from `args` */
  function t(key, args = {}) {
    const text = state.texts[key];
    if (typeof text !== "string") return key;
    return text.replace(/\{([a-z]+)\}/g, (all, name) => (Object.hasOwn(args, name) ? String(args[name]) : all));
  }

  /** createElement with properties and children (strings become text nodes) */
  function el(tag, props = {}, children = []) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "dataset") Object.assign(node.dataset, value);
      else if (name in node && name !== "list") node[name] = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  const same = (a, b) => a.trim().replace(/\s+/g, " ").toLocaleLowerCase() === b.trim().replace(/\s+/g, " ").toLocaleLowerCase();

  // ---------- the API ----------

  class Offline extends Error {}

  /** one call; a 401 ends the page (#fatal) */
  async function api(method, path, body) {
    const headers = { Authorization: `tma ${state.initData}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let res;
    try {
      res = await fetch(`api/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
    } catch {
      throw new Offline();
    }
    let json = {};
    try {
      json = await res.json();
    } catch {
      json = {};
    }
    if (res.status === 401) showFatal(json.error);
    return { status: res.status, json };
  }

  const errorText = (json) => (typeof json?.error === "string" && json.error ? json.error : (state.texts["webapp-failed"] ?? FALLBACK));
  const offlineText = () => state.texts["webapp-offline"] ?? FALLBACK;

  // ---------- page states ----------

  function showFatal(text) {
    state.generation++;
    $("#app").hidden = true;
    $("#bar").hidden = true;
    const fatal = $("#fatal");
    fatal.textContent = typeof text === "string" && text ? text : FALLBACK;
    fatal.hidden = false;
  }

  /** a message in place of the form (a chat not subscribed, not editable) */
  function showNotice(text) {
    $("#loading").hidden = true;
    $("#form").hidden = true;
    $("#bar").hidden = true;
    const notice = $("#notice");
    notice.textContent = text;
    notice.hidden = false;
  }

  function showLoading() {
    $("#form").hidden = true;
    $("#notice").hidden = true;
    $("#bar").hidden = true;
    const loading = $("#loading");
    if (state.texts["webapp-loading"]) loading.setAttribute("aria-label", state.texts["webapp-loading"]);
    loading.hidden = false;
  }

  function setStatus(text, isError) {
    const status = $("#status");
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError && text));
  }

  // ---------- loading ----------

  async function loadChats(keepKey, keepStatus) {
    showLoading();
    let r;
    try {
      r = await api("GET", "chats");
    } catch {
      return showFatal(offlineText());
    }
    if (r.status === 401) return;
    if (r.status !== 200 || !Array.isArray(r.json.chats) || r.json.chats.length === 0) return showFatal(errorText(r.json));
    state.texts = r.json.texts ?? {};
    state.chats = r.json.chats;
    document.documentElement.lang = r.json.locale ?? "en";
    document.title = t("webapp-title");
    $("#title")?.remove();
    $("#head").prepend(el("h1", { id: "title", textContent: t("webapp-title") }));
    $("#save").textContent = t("webapp-save");
    $("#app").hidden = false;
    const chat = state.chats.find((c) => c.key === keepKey) ?? state.chats[0];
    renderChatPicker(chat);
    await loadSettings(chat, keepStatus);
  }

  function renderChatPicker(current) {
    const box = $("#chat-box");
    if (state.chats.length < 2) {
      box.replaceChildren(el("p", { className: "subtitle", textContent: current.title }));
      return;
    }
    const select = el(
      "select",
      { id: "chat" },
      state.chats.map((c) => el("option", { value: c.key, textContent: c.title, selected: c.key === current.key })),
    );
    select.addEventListener("change", () => {
      const chat = state.chats.find((c) => c.key === select.value);
      if (chat) void loadSettings(chat, false);
    });
    box.replaceChildren(el("div", { className: "card" }, [el("div", { className: "row" }, [rowLabel("chat", t("webapp-chat")), select])]));
  }

  async function loadSettings(chat, keepStatus) {
    state.chat = chat;
    if (!keepStatus) setStatus("", false);
    if (!chat.subscribed) return showNotice(t("webapp-not-subscribed"));
    showLoading();
    const generation = ++state.generation;
    let r;
    try {
      r = await api("GET", `settings?chat=${encodeURIComponent(chat.key)}`);
    } catch {
      if (generation === state.generation) showNotice(offlineText());
      return;
    }
    if (generation !== state.generation || r.status === 401) return;
    if (r.status !== 200 || !r.json.prefs || !r.json.offered) return showNotice(errorText(r.json));
    if (r.json.texts) state.texts = r.json.texts;
    state.data = r.json;
    renderForm(r.json.prefs);
    $("#loading").hidden = true;
    $("#notice").hidden = true;
    $("#form").hidden = false;
    $("#bar").hidden = false;
  }

  // ---------- the form ----------

  function rowLabel(forId, text, small) {
    return el("label", { htmlFor: forId, className: "row-label" }, [text, small ? el("small", { textContent: small }) : null]);
  }

  /** a whole row is the label of its checkbox (a switch or a tick) */
  function checkRow(o) {
    const input = el("input", {
      type: "checkbox",
      id: o.id,
      className: o.tick ? "tick" : "switch",
      name: o.name,
      value: o.value,
      checked: o.checked,
    });
    return el("label", { className: "row", htmlFor: o.id }, [
      el("span", { className: "row-label" }, [o.text, o.small ? el("small", { textContent: o.small }) : null]),
      input,
    ]);
  }

  function selectRow(o) {
    const select = el(
      "select",
      { id: o.id },
      o.options.map((opt) => el("option", { value: opt.value, textContent: opt.text, selected: opt.value === o.value })),
    );
    return el("div", { className: "row", dataset: o.field ? { field: o.field } : undefined }, [rowLabel(o.id, o.text), select]);
  }

  function timeRow(o) {
    const input = el("input", { type: "time", id: o.id, value: o.value, step: 60 });
    return el("div", { className: "row", id: `${o.id}-row` }, [rowLabel(o.id, o.text), input]);
  }

  function section(o, rows) {
    return el("section", { className: "sec", dataset: o.field ? { field: o.field } : undefined }, [
      el("h2", { textContent: o.title }),
      el("div", { className: "card" }, rows),
      o.hint === undefined ? null : el("p", { className: "hint", id: o.hintId, textContent: o.hint }),
    ]);
  }

  /** "All …" switch and a tick per offered item; the items show only when "all" is off */
  function choiceSection(o) {
    const all = o.chosen === "all";
    const list = el(
      "div",
      { className: "sub", id: `${o.kind}-list`, hidden: all },
      o.items.map((item, i) =>
        checkRow({
          id: `${o.kind}-${i}`,
          name: o.name,
          value: item.value,
          text: item.text,
          small: item.small,
          tick: true,
          checked: all || o.chosen.includes(item.value),
        }),
      ),
    );
    const rows = [checkRow({ id: `${o.kind}-all`, text: o.allText, checked: all }), list];
    return section({ field: o.kind, title: o.title, hint: o.hint, hintId: `${o.kind}-hint` }, rows);
  }

  function sourcesSection(prefs, offered) {
    const ids = new Set(offered.sources.map((s) => s.id));
    state.keptSources = prefs.sources === "all" ? [] : prefs.sources.filter((id) => !ids.has(id));
    return choiceSection({
      kind: "sources",
      name: "source",
      title: t("webapp-sources"),
      allText: t("webapp-sources-all"),
      chosen: prefs.sources,
      items: offered.sources.map((s) => ({ value: s.id, text: s.name, small: s.lang })),
      hint: offered.sources.length === 0 ? t("webapp-sources-none") : sourcesHint(prefs.sources === "all"),
    });
  }

  const sourcesHint = (all) => (all ? t("webapp-sources-all-hint") : t("webapp-sources-later"));

  function langsSection(prefs, offered) {
    const codes = new Set(offered.langs.map((l) => l.code));
    state.keptLangs = prefs.langs === "all" ? [] : prefs.langs.filter((code) => !codes.has(code));
    return choiceSection({
      kind: "langs",
      name: "lang",
      title: t("webapp-langs"),
      allText: t("webapp-langs-all"),
      chosen: prefs.langs,
      items: offered.langs.map((l) => ({ value: l.code, text: l.label })),
      hint: t("webapp-langs-hint"),
    });
  }

  function keywordsSection(prefs) {
    state.kw = { include: [...prefs.keywords.include], exclude: [...prefs.keywords.exclude], phrases: [...prefs.keywords.phrases] };
    const blocks = KINDS.map((kind) => {
      const input = el("input", {
        type: "text",
        id: `kw-${kind}-input`,
        placeholder: kind === "phrases" ? t("webapp-kw-phrase") : t("webapp-kw-word"),
        maxLength: 200,
        autocomplete: "off",
        enterKeyHint: "done",
      });
      const add = el("button", { type: "button", id: `kw-${kind}-add`, className: "add", textContent: t("webapp-kw-add") });
      input.addEventListener("keydown", (e) => {
        if (e.key !== "Enter" || e.isComposing) return;
        e.preventDefault();
        addWord(kind);
      });
      add.addEventListener("click", () => {
        addWord(kind);
        input.focus();
      });
      return el("div", { className: "kw", dataset: { kind } }, [
        el("label", { htmlFor: input.id, className: "kw-title", textContent: t(`webapp-kw-${kind}`) }),
        el("ul", { className: "chips", id: `kw-${kind}-list`, dataset: { kind } }),
        el("div", { className: "kw-add" }, [input, add]),
      ]);
    });
    return section({ field: "keywords", title: t("webapp-keywords"), hint: t("webapp-kw-hint") }, blocks);
  }

  function renderChips(kind) {
    const list = $(`#kw-${kind}-list`);
    list.replaceChildren(
      ...state.kw[kind].map((word) =>
        el("li", { className: "chip" }, [
          el("span", { textContent: word }),
          el("button", {
            type: "button",
            className: "remove",
            dataset: { kind, word },
            "aria-label": t("webapp-kw-remove", { word }),
            textContent: "×",
          }),
        ]),
      ),
    );
  }

  const typed = (kind) => {
    const word = $(`#kw-${kind}-input`).value.trim().replace(/\s+/g, " ");
    return kind === "phrases" ? word.replace(/^["“«„]+|["”»“]+$/g, "").trim() : word;
  };

  /** the typed word onto its list; false when it was refused (the status says why) */
  function addWord(kind) {
    const input = $(`#kw-${kind}-input`);
    const word = typed(kind);
    if (!word) return true;
    if (state.kw[kind].some((w) => same(w, word))) {
      setStatus(t("webapp-kw-repeat", { word }), true);
      return false;
    }
    // A word is in one list only, as /filter has it: adding it here takes it from another.
    for (const other of KINDS) if (other !== kind) state.kw[other] = state.kw[other].filter((w) => !same(w, word));
    const max = state.data?.limits?.maxRules;
    const total = KINDS.reduce((n, k) => n + state.kw[k].length, 0);
    if (typeof max === "number" && total >= max) {
      setStatus(t("webapp-kw-limit", { max }), true);
      return false;
    }
    state.kw[kind].push(word);
    input.value = "";
    for (const k of KINDS) renderChips(k);
    setStatus("", false);
    changed();
    return true;
  }

  function removeWord(kind, word) {
    state.kw[kind] = state.kw[kind].filter((w) => w !== word);
    renderChips(kind);
    changed();
    $(`#kw-${kind}-input`).focus();
  }

  function modeValue(mode) {
    return mode.kind === "every" ? `every-${mode.hours}` : mode.kind;
  }

  function deliverySection(prefs, offered) {
    const hours = [...offered.digestHours];
    if (prefs.mode.kind === "every" && !hours.includes(prefs.mode.hours)) hours.push(prefs.mode.hours);
    const modes = [
      { value: "now", text: t("webapp-mode-now") },
      ...hours.map((h) => ({ value: `every-${h}`, text: t("webapp-mode-every", { hours: h }) })),
      { value: "daily", text: t("webapp-mode-daily") },
    ];
    const zones = [...offered.zones];
    if (prefs.timezone && !zones.includes(prefs.timezone)) zones.push(prefs.timezone);
    const zoneOptions = [
      { value: "", text: t("webapp-zone-default", { zone: offered.defaultTimezone }) },
      ...zones.map((z) => ({ value: z, text: z.replace(/_/g, " ") })),
    ];
    return section({ title: t("webapp-delivery"), hint: t("webapp-delivery-hint") }, [
      selectRow({ id: "mode", field: "mode", text: t("webapp-mode"), options: modes, value: modeValue(prefs.mode) }),
      timeRow({ id: "daily-at", text: t("webapp-daily-at"), value: prefs.mode.kind === "daily" ? prefs.mode.at : "08:00" }),
      selectRow({ id: "timezone", field: "timezone", text: t("webapp-timezone"), options: zoneOptions, value: prefs.timezone ?? "" }),
    ]);
  }

  function quietSection(prefs) {
    return section({ field: "quiet", title: t("webapp-quiet"), hint: t("webapp-quiet-hint") }, [
      checkRow({ id: "quiet-on", text: t("webapp-quiet-on"), checked: prefs.quiet !== null }),
      timeRow({ id: "quiet-from", text: t("webapp-quiet-from"), value: prefs.quiet?.from ?? "23:00" }),
      timeRow({ id: "quiet-to", text: t("webapp-quiet-to"), value: prefs.quiet?.to ?? "07:00" }),
    ]);
  }

  function messagesSection(prefs, offered) {
    const locales = offered.locales.map((l) => ({ value: l.code, text: l.label }));
    return section({ title: t("webapp-messages"), hint: t("webapp-messages-hint") }, [
      checkRow({ id: "previews", text: t("webapp-previews"), checked: prefs.previews }),
      selectRow({ id: "locale", field: "locale", text: t("webapp-locale"), options: locales, value: prefs.locale }),
    ]);
  }

  function renderForm(prefs) {
    const { offered } = state.data;
    $("#form").replaceChildren(
      sourcesSection(prefs, offered),
      langsSection(prefs, offered),
      keywordsSection(prefs),
      deliverySection(prefs, offered),
      quietSection(prefs),
      messagesSection(prefs, offered),
    );
    for (const kind of KINDS) renderChips(kind);
    syncVisibility();
    state.baseline = JSON.stringify(collect());
    updateSave();
  }

  /** what depends on another control: the lists under "all", the daily time, the quiet times */
  function syncVisibility() {
    const sourcesAll = $("#sources-all").checked;
    $("#sources-list").hidden = sourcesAll;
    if (state.data.offered.sources.length > 0) $("#sources-hint").textContent = sourcesHint(sourcesAll);
    $("#langs-list").hidden = $("#langs-all").checked;
    $("#daily-at-row").hidden = $("#mode").value !== "daily";
    const quiet = $("#quiet-on").checked;
    $("#quiet-from-row").hidden = !quiet;
    $("#quiet-to-row").hidden = !quiet;
  }

  const checkedValues = (name) => [...document.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);

  /** the whole form as the API takes it */
  function collect() {
    const mode = $("#mode").value;
    return {
      sources: $("#sources-all").checked ? "all" : [...checkedValues("source"), ...state.keptSources],
      langs: $("#langs-all").checked ? "all" : [...checkedValues("lang"), ...state.keptLangs],
      keywords: { include: [...state.kw.include], exclude: [...state.kw.exclude], phrases: [...state.kw.phrases] },
      mode:
        mode === "daily"
          ? { kind: "daily", at: $("#daily-at").value }
          : mode.startsWith("every-")
            ? { kind: "every", hours: Number(mode.slice("every-".length)) }
            : { kind: "now" },
      timezone: $("#timezone").value || null,
      quiet: $("#quiet-on").checked ? { from: $("#quiet-from").value, to: $("#quiet-to").value } : null,
      previews: $("#previews").checked,
      locale: $("#locale").value,
    };
  }

  /** changed since shown; a word typed but not added yet counts (Save adds it) */
  const dirty = () => state.data !== null && (KINDS.some((k) => typed(k) !== "") || JSON.stringify(collect()) !== state.baseline);

  function updateSave() {
    const save = $("#save");
    save.disabled = state.saving || !dirty();
    save.textContent = state.saving ? t("webapp-saving") : t("webapp-save");
    save.setAttribute("aria-busy", String(state.saving));
  }

  function changed() {
    syncVisibility();
    updateSave();
  }

  // ---------- marking the refused field ----------

  function clearMarks() {
    for (const node of document.querySelectorAll(".invalid")) node.classList.remove("invalid");
    for (const node of document.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  }

  function markField(field) {
    const node = typeof field === "string" ? $(`#form [data-field="${CSS.escape(field)}"]`) : null;
    if (!node) return;
    node.classList.add("invalid");
    for (const control of node.querySelectorAll("input, select")) {
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", "status");
    }
    node.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  // ---------- saving ----------

  async function save() {
    if (state.saving || !dirty()) return;
    if (!KINDS.every((kind) => addWord(kind))) return;
    const chat = state.chat;
    const before = state.data.prefs;
    clearMarks();
    setStatus("", false);
    state.saving = true;
    updateSave();
    let r;
    try {
      r = await api("POST", "settings", { chat: chat.key, prefs: collect() });
    } catch {
      r = null;
    } finally {
      state.saving = false;
    }
    if (r?.status === 401) return;
    if (!r) {
      setStatus(offlineText(), true);
    } else if (r.status === 200 && r.json.ok) {
      saved(chat, before, r.json);
      return;
    } else {
      setStatus(errorText(r.json), true);
      markField(r.json.field);
    }
    tg?.HapticFeedback?.notificationOccurred?.("error");
    updateSave();
  }

  function saved(chat, before, answer) {
    tg?.HapticFeedback?.notificationOccurred?.("success");
    const message = typeof answer.message === "string" ? answer.message : "";
    const prefs = answer.prefs ?? collect();
    // The user's own chat in another language: the page speaks it from now on.
    if (chat.type === "private" && prefs.locale !== before.locale) {
      setStatus(message, false);
      void loadChats(chat.key, true);
      return;
    }
    const y = window.scrollY;
    state.data.prefs = prefs;
    renderForm(prefs);
    window.scrollTo(0, y);
    setStatus(message, false);
  }

  // ---------- start ----------

  function wire() {
    const form = $("#form");
    form.addEventListener("submit", (e) => e.preventDefault());
    form.addEventListener("change", (e) => {
      e.target.closest?.(".invalid")?.classList.remove("invalid");
      changed();
    });
    form.addEventListener("input", changed);
    form.addEventListener("click", (e) => {
      const button = e.target.closest?.("button.remove");
      if (button) removeWord(button.dataset.kind, button.dataset.word);
    });
    $("#save").addEventListener("click", () => void save());
    tg?.onEvent?.("themeChanged", () => applyTheme(tg.themeParams ?? {}));
  }

  function start() {
    const launch = launchParams();
    state.initData = readInitData(launch);
    applyTheme({ ...parseTheme(launch.theme), ...(tg?.themeParams ?? {}) });
    wire();
    tg?.ready?.();
    tg?.expand?.();
    void loadChats(undefined, false);
  }

  start();
})();
