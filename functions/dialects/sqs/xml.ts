import { queryXml, type XmlNode } from '../query-xml';

export type { XmlNode, XmlValue } from '../query-xml';

/** SQS's Query replies, in SQS's namespace. */
export const sqsNamespace = 'http://queue.amazonaws.com/doc/2012-11-05/';

export function buildXml(rootName: string, content: XmlNode): string {
  return queryXml(sqsNamespace, rootName, content);
}
