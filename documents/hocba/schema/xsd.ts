import {
  BANGDIEM_FIELDS,
  CHUNGCHI_FIELDS,
  HOCBA_FIELDS,
  QUATRINHHOCTAP_FIELDS,
  type FieldSpec,
} from '../fields.js';

/**
 * The XSD of the học bạ document (`hocba-thcsthpt-1.xsd`), generated from the field tables so that the
 * schema and the serializer cannot drift apart. The same text is shipped as
 * `documents/hocba/schema/hocba-thcsthpt-1.xsd` for other tools (a test keeps the two equal).
 *
 * Notes:
 * - `Id` attributes are `xs:ID`, so a schema-validating parser rejects a duplicated Id. XSD 1.0 forbids
 *   a fixed value on an ID, so the values themselves (`dulieu`, `mon-<mamonhoc>`, …) are checked by
 *   the verifier.
 * - The DSCKS role elements hold any number of `ds:Signature` elements, validated laxly (the xmldsig
 *   schema is not bundled); the verifier checks their content.
 */
export const HOCBA_XSD_FILE_NAME = 'hocba-thcsthpt-1.xsd';

function simpleType(spec: FieldSpec, indent: string): string {
  const facets: string[] = [];
  let base: string;
  switch (spec.type) {
    case 'date':
      base = 'xs:date';
      facets.push('<xs:pattern value="[0-9]{4}-[0-9]{2}-[0-9]{2}"/>');
      break;
    case 'boolean':
      base = 'xs:string';
      facets.push('<xs:enumeration value="0"/>', '<xs:enumeration value="1"/>');
      break;
    case 'int':
      base = 'xs:int';
      break;
    case 'double':
      base = 'xs:decimal';
      break;
    case 'varchar':
      base = 'xs:string';
      facets.push(`<xs:maxLength value="${spec.length}"/>`);
      break;
  }
  if (spec.min !== undefined) facets.push(`<xs:minInclusive value="${spec.min}"/>`);
  if (spec.max !== undefined) facets.push(`<xs:maxInclusive value="${spec.max}"/>`);
  if (spec.pattern !== undefined) facets.push(`<xs:pattern value="${spec.pattern}"/>`);
  for (const value of spec.enumeration ?? []) facets.push(`<xs:enumeration value="${value}"/>`);
  const inner = facets.map((f) => `${indent}    ${f}`).join('\n');
  return `${indent}<xs:simpleType>\n${indent}  <xs:restriction base="${base}">\n${inner}\n${indent}  </xs:restriction>\n${indent}</xs:simpleType>`;
}

function fieldElements(specs: readonly FieldSpec[], indent: string): string {
  return specs
    .map((spec) => {
      const occurs = spec.required ? '' : ' minOccurs="0"';
      return `${indent}<xs:element name="${spec.name}"${occurs}>\n${simpleType(spec, `${indent}  `)}\n${indent}</xs:element>`;
    })
    .join('\n');
}

function rowType(name: string, specs: readonly FieldSpec[], withId: boolean): string {
  const id = withId ? '\n    <xs:attribute name="Id" type="xs:ID" use="required"/>' : '';
  return `  <xs:complexType name="${name}">\n    <xs:sequence>\n${fieldElements(specs, '      ')}\n    </xs:sequence>${id}\n  </xs:complexType>`;
}

function signatureListType(): string {
  return `  <xs:complexType name="DanhSachChuKy">
    <xs:sequence>
      <xs:any namespace="http://www.w3.org/2000/09/xmldsig#" processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
    <xs:attribute name="Id" type="xs:ID" use="required"/>
  </xs:complexType>`;
}

export function buildHocBaXsd(): string {
  const top = HOCBA_FIELDS.filter((f) => !('part' in f));
  const ketQua = HOCBA_FIELDS.filter((f) => 'part' in f && f.part === 'ketqua');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated from documents/hocba/fields.ts by documents/hocba/schema/xsd.ts. Do not edit by hand. -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns="urn:vn:moet:hocbaso:thcsthpt:1"
           xmlns:hb="urn:vn:moet:hocbaso:thcsthpt:1"
           targetNamespace="urn:vn:moet:hocbaso:thcsthpt:1"
           elementFormDefault="qualified"
           attributeFormDefault="unqualified">

  <xs:element name="HocBa">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="DuLieuHocBa" type="DuLieuHocBa"/>
        <xs:element name="DSCKS" type="DSCKS"/>
      </xs:sequence>
    </xs:complexType>
    <xs:unique name="MotBangDiemMoiMon">
      <xs:selector xpath="hb:DuLieuHocBa/hb:BangDiem"/>
      <xs:field xpath="hb:mamonhoc"/>
    </xs:unique>
  </xs:element>

  <!-- Signing time, placed by each signer in ds:Object/ds:SignatureProperties/ds:SignatureProperty. -->
  <xs:element name="SigningTime" type="xs:dateTime"/>
  <!-- In the same Object of a subject teacher's signature made by the principal because the teacher has left. -->
  <xs:element name="KyThay">
    <xs:simpleType>
      <xs:restriction base="xs:string">
        <xs:enumeration value="hieutruong"/>
      </xs:restriction>
    </xs:simpleType>
  </xs:element>

  <xs:complexType name="DuLieuHocBa">
    <xs:sequence>
${fieldElements(top, '      ')}
      <xs:element name="BangDiem" type="BangDiem" maxOccurs="unbounded"/>
      <xs:element name="KetQua" type="KetQua"/>
      <xs:element name="QuaTrinhHocTap" type="QuaTrinhHocTap" minOccurs="0" maxOccurs="unbounded"/>
      <xs:element name="ChungChi" type="ChungChi" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
    <xs:attribute name="Id" type="xs:ID" use="required"/>
  </xs:complexType>

${rowType('BangDiem', BANGDIEM_FIELDS, true)}

${rowType('KetQua', ketQua, true)}

${rowType('QuaTrinhHocTap', QUATRINHHOCTAP_FIELDS, false)}

${rowType('ChungChi', CHUNGCHI_FIELDS, false)}

  <xs:complexType name="DSCKS">
    <xs:sequence>
      <xs:element name="GVBM" type="DanhSachChuKy"/>
      <xs:element name="GVCN" type="DanhSachChuKy"/>
      <xs:element name="HieuTruong" type="DanhSachChuKy"/>
      <xs:element name="DonVi" type="DanhSachChuKy"/>
    </xs:sequence>
  </xs:complexType>

${signatureListType()}
</xs:schema>
`;
}

/** The schema text, built once. */
export const HOCBA_XSD: string = buildHocBaXsd();
