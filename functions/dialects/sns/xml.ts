import { XMLBuilder } from 'fast-xml-parser';
import type { HttpResult } from '../http';

/** SNS's Query replies: `<Action>Response>` in SNS's namespace, text escaped here (CR kept as `&#xD;`). */
export const snsNamespace = 'http://sns.amazonaws.com/doc/2010-03-31/';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  processEntities: false,
  suppressEmptyNode: false,
  tagValueProcessor: (_name, value) => escapeText(String(value)),
  attributeValueProcessor: (_name, value) => escapeText(String(value)),
});

export type XmlNode = { [name: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

export function snsXml(root: string, content: XmlNode): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    [root]: { '@_xmlns': snsNamespace, ...content },
  });
}

/** A reply: `result` (when the action has one) inside <Action>Result, then the request id. */
export function snsResponse(action: string, result: XmlNode | undefined, requestId: string): HttpResult {
  const content: XmlNode = {};
  if (result !== undefined) content[`${action}Result`] = result;
  content.ResponseMetadata = { RequestId: requestId };
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: snsXml(`${action}Response`, content),
  };
}

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#xD;',
};

function escapeText(text: string): string {
  return text.replace(/[&<>"'\r]/g, (char) => entities[char]!);
}

/** A map as SNS writes it: <entry><key/><value/></entry>. */
export const entries = (map: Record<string, string>): XmlNode => ({
  entry: Object.entries(map).map(([key, value]) => ({ key, value })),
});
