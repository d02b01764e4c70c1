// Page checks run inside the browser by gates.py. One object literal, evaluated per call.
({
  describe(el) {
    const classes = typeof el.className === "string" && el.className
      ? "." + el.className.trim().split(/\s+/).join(".") : "";
    return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + classes;
  },

  sidewaysScroll() {
    const width = document.documentElement.clientWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    const problems = [];
    if (scrollWidth > width) {
      problems.push(`page is ${scrollWidth}px wide in a ${width}px window`);
    }
    for (const el of document.body.querySelectorAll("*")) {
      const box = el.getBoundingClientRect();
      if (box.width > 1 && box.right > width + 1) {
        problems.push(`${this.describe(el)} ends at ${Math.round(box.right)}px`);
      }
    }
    return problems.slice(0, 8);
  },

  cutOff() {
    const problems = [];
    for (const el of document.body.querySelectorAll("*")) {
      const style = getComputedStyle(el);
      if (style.clipPath !== "none" || el.clientWidth <= 1) continue; // visually-hidden helpers
      const clipping = (value) => value === "hidden" || value === "clip";
      const clipsX = clipping(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
      const clipsY = clipping(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
      if (clipsX || clipsY) problems.push(`${this.describe(el)} cuts off its content`);
    }
    return problems.slice(0, 8);
  },

  // The exit must be on screen wherever one is on the page: at the top, halfway, at the end.
  exitInView() {
    const exit = document.querySelector("[data-quick-exit]");
    if (!exit) return ["the page has no quick exit"];
    const problems = [];
    const end = document.documentElement.scrollHeight - window.innerHeight;
    for (const [where, y] of [["top", 0], ["middle", end / 2], ["bottom", end]]) {
      window.scrollTo(0, y);
      const box = exit.getBoundingClientRect();
      const inView = box.top >= 0 && box.bottom <= window.innerHeight
        && box.left >= 0 && box.right <= window.innerWidth;
      if (!inView) problems.push(`the quick exit is out of view at the ${where} of the page`);
    }
    window.scrollTo(0, 0);
    return problems;
  },

  // Without scrolling, the page's title must be on the first screen.
  headingInFirstScreen() {
    window.scrollTo(0, 0);
    const heading = document.querySelector("h1");
    if (!heading) return ["the page has no h1"];
    const box = heading.getBoundingClientRect();
    return box.bottom <= window.innerHeight
      ? [] : [`the h1 ends at ${Math.round(box.bottom)}px, below the first ${window.innerHeight}px`];
  },

  focused() {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const shadow = Boolean(style.boxShadow) && style.boxShadow !== "none";
    const box = el.getBoundingClientRect();
    const inView = box.bottom > 0 && box.top < window.innerHeight
      && box.right > 0 && box.left < window.innerWidth;
    const label = el.getAttribute("href") || el.name || el.textContent.trim().slice(0, 30);
    return {
      name: `${this.describe(el)} ${label}`,
      visible: (outline || shadow) && inView,
      key: el.outerHTML.slice(0, 200),
    };
  },
})
