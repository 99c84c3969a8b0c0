import type { HttpResult } from '../http';
import { queryXml, type XmlNode } from '../query-xml';

export type { XmlNode, XmlValue } from '../query-xml';

/** SNS's Query replies: `<Action>Response>` in SNS's namespace (escaping: ../query-xml.ts). */
export const snsNamespace = 'http://sns.amazonaws.com/doc/2010-03-31/';

export function snsXml(root: string, content: XmlNode): string {
  return queryXml(snsNamespace, root, content);
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

/** A map as SNS writes it: <entry><key/><value/></entry>. */
export const entries = (map: Record<string, string>): XmlNode => ({
  entry: Object.entries(map).map(([key, value]) => ({ key, value })),
});
