import { DOMParser } from "@xmldom/xmldom";

export const SAML_NS = {
  metadata: "urn:oasis:names:tc:SAML:2.0:metadata",
  assertion: "urn:oasis:names:tc:SAML:2.0:assertion",
  protocol: "urn:oasis:names:tc:SAML:2.0:protocol",
  dsig: "http://www.w3.org/2000/09/xmldsig#",
} as const;

/** Why a document was refused; the message names the problem without echoing the document. */
export class XmlRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "XmlRefusal";
  }
}

/**
 * True when the text declares a document type or an entity. Neither belongs in SAML metadata or
 * messages, and refusing them outright rules out entity expansion (billion laughs) and external
 * entities (XXE) whatever the parser would have done with them.
 */
export function hasDoctypeOrEntity(text: string): boolean {
  const upper = text.toUpperCase();
  return upper.includes("<!DOCTYPE") || upper.includes("<!ENTITY");
}

/** Parses XML with @xmldom/xmldom, refusing DOCTYPE/ENTITY declarations and anything that is not well formed. */
export function parseXmlStrictly(text: string): Document {
  if (hasDoctypeOrEntity(text)) throw new XmlRefusal("The document declares a DOCTYPE or an entity, which is not allowed.");
  const problems: string[] = [];
  const doc = new DOMParser({
    locator: {},
    errorHandler: {
      warning: () => {},
      error: (msg: string) => problems.push(msg),
      fatalError: (msg: string) => problems.push(msg),
    },
  }).parseFromString(text, "text/xml");
  if (problems.length > 0 || !doc?.documentElement) throw new XmlRefusal("The document is not well-formed XML.");
  for (let node = doc.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 10) throw new XmlRefusal("The document declares a DOCTYPE, which is not allowed.");
  }
  return doc;
}

/** The element children of a node with the given namespace and local name (direct children only). */
export function childElements(parent: Node, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).namespaceURI === ns && (node as Element).localName === localName)
      out.push(node as Element);
  }
  return out;
}

/** The first such child, or null. */
export function childElement(parent: Node, ns: string, localName: string): Element | null {
  return childElements(parent, ns, localName)[0] ?? null;
}

/** An attribute's value, or null when absent (xmldom answers "" for a missing attribute). */
export function attribute(element: Element, name: string): string | null {
  return element.hasAttribute(name) ? element.getAttribute(name) : null;
}
