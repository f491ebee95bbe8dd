/**
 * The smallest DOM Observable Plot needs to draw inside a worker (which has no DOM): elements,
 * text nodes, attributes, inline styles and a markup serializer. Plot is handed this as its
 * `document` option; the result is serialized to SVG markup and sent out as text, so nothing
 * here ever touches a real document.
 */

const SVG_NS = "http://www.w3.org/2000/svg";
const XHTML_NS = "http://www.w3.org/1999/xhtml";

class MiniStyle {
  private readonly props = new Map<string, string>();
  setProperty(name: string, value: string | null): void {
    if (value === null || value === "") this.props.delete(name);
    else this.props.set(name, String(value));
  }
  removeProperty(name: string): void {
    this.props.delete(name);
  }
  getPropertyValue(name: string): string {
    return this.props.get(name) ?? "";
  }
  get cssText(): string {
    return [...this.props].map(([k, v]) => `${k}: ${v};`).join(" ");
  }
  set cssText(text: string) {
    this.props.clear();
    for (const part of text.split(";")) {
      const at = part.indexOf(":");
      if (at > 0) this.props.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
    }
  }
}

export class MiniNode {
  parentNode: MiniElement | null = null;
  constructor(readonly ownerDocument: MiniDocument) {}
  get nextSibling(): MiniNode | null {
    const siblings = this.parentNode?.childNodes;
    if (!siblings) return null;
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }
  get previousSibling(): MiniNode | null {
    const siblings = this.parentNode?.childNodes;
    if (!siblings) return null;
    return siblings[siblings.indexOf(this) - 1] ?? null;
  }
  remove(): void {
    this.parentNode?.removeChild(this);
  }
}

export class MiniText extends MiniNode {
  readonly nodeType = 3;
  constructor(
    ownerDocument: MiniDocument,
    public data: string,
  ) {
    super(ownerDocument);
  }
  get textContent(): string {
    return this.data;
  }
  set textContent(value: string) {
    this.data = value;
  }
  get nodeValue(): string {
    return this.data;
  }
}

const escapeText = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
const escapeAttr = (s: string) => escapeText(s).replaceAll('"', "&quot;");

export class MiniElement extends MiniNode {
  readonly nodeType = 1;
  readonly childNodes: MiniNode[] = [];
  readonly attributes = new Map<string, string>();
  readonly style = new MiniStyle();
  readonly localName: string;
  /** Plot and d3 keep data on nodes (`__data__`, `__on`); any property may be set. */
  [key: string]: unknown;
  constructor(
    ownerDocument: MiniDocument,
    readonly namespaceURI: string,
    localName: string,
  ) {
    super(ownerDocument);
    this.localName = localName;
  }
  get tagName(): string {
    return this.namespaceURI === XHTML_NS ? this.localName.toUpperCase() : this.localName;
  }
  get nodeName(): string {
    return this.tagName;
  }
  get children(): MiniElement[] {
    return this.childNodes.filter((n): n is MiniElement => n instanceof MiniElement);
  }
  get firstChild(): MiniNode | null {
    return this.childNodes[0] ?? null;
  }
  get lastChild(): MiniNode | null {
    return this.childNodes.at(-1) ?? null;
  }
  get firstElementChild(): MiniElement | null {
    return this.children[0] ?? null;
  }
  get ownerSVGElement(): MiniElement | null {
    let p = this.parentNode;
    while (p && p.localName !== "svg") p = p.parentNode;
    return p;
  }
  setAttribute(name: string, value: unknown): void {
    if (name === "style") this.style.cssText = String(value);
    else this.attributes.set(name, String(value));
  }
  setAttributeNS(_ns: string | null, name: string, value: unknown): void {
    this.setAttribute(name, value);
  }
  getAttribute(name: string): string | null {
    if (name === "style") return this.style.cssText || null;
    return this.attributes.get(name) ?? null;
  }
  getAttributeNS(_ns: string | null, name: string): string | null {
    return this.getAttribute(name);
  }
  hasAttribute(name: string): boolean {
    return this.attributes.has(name);
  }
  removeAttribute(name: string): void {
    this.attributes.delete(name);
  }
  removeAttributeNS(_ns: string | null, name: string): void {
    this.attributes.delete(name);
  }
  get classList() {
    const list = () => (this.getAttribute("class") ?? "").split(/\s+/).filter(Boolean);
    return {
      add: (...names: string[]) => this.setAttribute("class", [...new Set([...list(), ...names])].join(" ")),
      remove: (...names: string[]) =>
        this.setAttribute(
          "class",
          list()
            .filter((n) => !names.includes(n))
            .join(" "),
        ),
      contains: (name: string) => list().includes(name),
    };
  }
  appendChild<T extends MiniNode>(node: T): T {
    return this.insertBefore(node, null);
  }
  append(...nodes: (MiniNode | string)[]): void {
    for (const n of nodes) this.appendChild(typeof n === "string" ? this.ownerDocument.createTextNode(n) : n);
  }
  insertBefore<T extends MiniNode>(node: T, before: MiniNode | null): T {
    if (node instanceof MiniFragment) {
      for (const child of [...node.childNodes]) this.insertBefore(child, before);
      return node;
    }
    node.parentNode?.removeChild(node);
    const at = before ? this.childNodes.indexOf(before) : -1;
    if (at < 0) this.childNodes.push(node);
    else this.childNodes.splice(at, 0, node);
    node.parentNode = this;
    return node;
  }
  removeChild<T extends MiniNode>(node: T): T {
    const at = this.childNodes.indexOf(node);
    if (at >= 0) this.childNodes.splice(at, 1);
    node.parentNode = null;
    return node;
  }
  replaceChildren(...nodes: (MiniNode | string)[]): void {
    for (const n of [...this.childNodes]) this.removeChild(n);
    this.append(...nodes);
  }
  get textContent(): string {
    return this.childNodes.map((n) => (n as MiniText | MiniElement).textContent).join("");
  }
  set textContent(value: string | null) {
    for (const n of [...this.childNodes]) this.removeChild(n);
    if (value !== null && value !== "") this.appendChild(this.ownerDocument.createTextNode(String(value)));
  }
  set innerHTML(_value: string) {
    throw new Error("innerHTML is not available when drawing in the sandbox.");
  }
  querySelectorAll(selector: string): MiniElement[] {
    const match = simpleSelector(selector);
    const out: MiniElement[] = [];
    const walk = (el: MiniElement) => {
      for (const child of el.children) {
        if (match(child)) out.push(child);
        walk(child);
      }
    };
    walk(this);
    return out;
  }
  querySelector(selector: string): MiniElement | null {
    return this.querySelectorAll(selector)[0] ?? null;
  }
  addEventListener(): void {}
  removeEventListener(): void {}
  dispatchEvent(): boolean {
    return true;
  }
  getBBox() {
    return { x: 0, y: 0, width: 0, height: 0 };
  }
  /** The element as markup. */
  get outerHTML(): string {
    const attrs = [...this.attributes].map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join("");
    const style = this.style.cssText ? ` style="${escapeAttr(this.style.cssText)}"` : "";
    const xmlns = this.localName === "svg" && !this.attributes.has("xmlns") ? ` xmlns="${SVG_NS}"` : "";
    const inner = this.childNodes
      .map((n) => (n instanceof MiniElement ? n.outerHTML : escapeText((n as MiniText).data)))
      .join("");
    return `<${this.localName}${xmlns}${attrs}${style}>${inner}</${this.localName}>`;
  }
}

class MiniFragment extends MiniElement {}

/** Matches `tag`, `.class`, `tag.class` and `:scope > tag` — the selectors Plot and d3 use. */
function simpleSelector(selector: string): (el: MiniElement) => boolean {
  const s = selector.replace(/^:scope\s*>\s*/, "").trim();
  const [tag, ...classes] = s.split(".");
  return (el) =>
    (!tag || tag === "*" || el.localName === tag) && classes.every((c) => el.classList.contains(c as string));
}

export class MiniDocument {
  readonly documentElement: MiniElement;
  readonly defaultView = {
    getComputedStyle: (el: MiniElement) => el.style,
  };
  constructor() {
    this.documentElement = new MiniElement(this, XHTML_NS, "html");
  }
  createElementNS(ns: string | null, name: string): MiniElement {
    return new MiniElement(this, ns ?? XHTML_NS, name.includes(":") ? (name.split(":")[1] as string) : name);
  }
  createElement(name: string): MiniElement {
    return new MiniElement(this, XHTML_NS, name.toLowerCase());
  }
  createTextNode(data: string): MiniText {
    return new MiniText(this, String(data));
  }
  createDocumentFragment(): MiniElement {
    return new MiniFragment(this, XHTML_NS, "#fragment");
  }
  querySelector(): null {
    return null;
  }
  querySelectorAll(): MiniElement[] {
    return [];
  }
}
