import { XMLBuilder } from 'fast-xml-parser';

/**
 * XML for the AWS Query protocol replies of both SQS and SNS, built from objects by
 * fast-xml-parser. Text is escaped here rather than by the builder because a carriage return must
 * survive as `&#xD;`: XML parsers turn a literal CR LF into LF, which would change the body a
 * client checks against MD5OfBody.
 */
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

/** A document whose root element `rootName` is in the service's `namespace`. */
export function queryXml(namespace: string, rootName: string, content: XmlNode): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    [rootName]: { '@_xmlns': namespace, ...content },
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
