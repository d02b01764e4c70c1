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
