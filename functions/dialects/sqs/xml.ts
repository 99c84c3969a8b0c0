import { XMLBuilder } from 'fast-xml-parser';

/**
 * XML for the Query protocol, built from objects by fast-xml-parser. Text is escaped here rather
 * than by the builder because a carriage return must survive as `&#xD;`: XML parsers turn a
 * literal CR LF into LF, which would change the body a client checks against MD5OfBody.
 */
export const sqsNamespace = 'http://queue.amazonaws.com/doc/2012-11-05/';

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

export function buildXml(rootName: string, content: XmlNode): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    [rootName]: { '@_xmlns': sqsNamespace, ...content },
  });
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
