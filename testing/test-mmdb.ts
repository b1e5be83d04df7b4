import { isIPv4 } from 'node:net';

/**
 * Writes a small MaxMind DB (format 2.0, IPv6 tree, 24-bit records) from a
 * list of networks, so geo lookups are tested on a real file in the real format
 * without shipping a commercial database. Test support only.
 */
export function buildMmdb(databaseType: string, networks: readonly { cidr: string; data: Record<string, unknown> }[]): Buffer {
  type Node = { children: [Node | number | null, Node | number | null] };
  const root: Node = { children: [null, null] };
  const data: Buffer[] = [];
  let dataSize = 0;

  for (const { cidr, data: record } of networks) {
    const [address = '', length = ''] = cidr.split('/');
    const bits = addressBits(address);
    const prefix = Number(length) + (isIPv4(address) ? 96 : 0);
    const encoded = encode(record);
    const offset = dataSize;
    data.push(encoded);
    dataSize += encoded.length;
    let node = root;
    for (let depth = 0; depth < prefix - 1; depth++) {
      const bit = bits[depth]!;
      let next = node.children[bit];
      if (typeof next !== 'object' || next === null) {
        next = { children: [null, null] };
        node.children[bit] = next;
      }
      node = next;
    }
    node.children[bits[prefix - 1]!] = offset;
  }

  const nodes: Node[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const node = queue.shift()!;
    nodes.push(node);
    for (const child of node.children) if (typeof child === 'object' && child !== null) queue.push(child);
  }
  const index = new Map(nodes.map((n, i) => [n, i]));
  const tree = Buffer.alloc(nodes.length * 6);
  nodes.forEach((node, i) => {
    node.children.forEach((child, side) => {
      const value = child === null ? nodes.length : typeof child === 'number' ? nodes.length + 16 + child : index.get(child)!;
      tree.writeUIntBE(value, i * 6 + side * 3, 3);
    });
  });

  const metadata = encode({
    node_count: nodes.length,
    record_size: { uint16: 24 },
    ip_version: { uint16: 6 },
    binary_format_major_version: { uint16: 2 },
    binary_format_minor_version: { uint16: 0 },
    build_epoch: { uint64: 1_700_000_000 },
    database_type: databaseType,
    languages: ['en'],
    description: { en: 'Footfall test database' },
  });
  return Buffer.concat([tree, Buffer.alloc(16), ...data, Buffer.from('abcdef4d61784d696e642e636f6d', 'hex'), metadata]);
}

function addressBits(address: string): number[] {
  const bytes: number[] = [];
  if (isIPv4(address)) {
    bytes.push(...new Array(12).fill(0), ...address.split('.').map(Number));
  } else {
    const [head = '', tail = ''] = address.split('::');
    const left = head ? head.split(':') : [];
    const right = tail ? tail.split(':') : [];
    const groups = [...left, ...new Array(8 - left.length - right.length).fill('0'), ...right];
    for (const g of groups) bytes.push(parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff);
  }
  return bytes.flatMap((b) => Array.from({ length: 8 }, (_, i) => (b >> (7 - i)) & 1));
}

function control(type: number, size: number): Buffer {
  const extended = type > 7;
  const first = (extended ? 0 : type) << 5;
  let head: number[];
  if (size < 29) head = [first | size];
  else if (size < 285) head = [first | 29, size - 29];
  else head = [first | 30, ((size - 285) >> 8) & 0xff, (size - 285) & 0xff];
  if (extended) head.splice(1, 0, type - 7);
  return Buffer.from(head);
}

function unsigned(type: number, value: number): Buffer {
  const bytes: number[] = [];
  for (let v = value; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.concat([control(type, bytes.length), Buffer.from(bytes)]);
}

function encode(value: unknown): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([control(2, bytes.length), bytes]);
  }
  if (typeof value === 'number') return unsigned(6, value);
  if (typeof value === 'boolean') return control(14, value ? 1 : 0);
  if (Array.isArray(value)) return Buffer.concat([control(11, value.length), ...value.map(encode)]);
  const object = value as Record<string, unknown>;
  if (typeof object.uint16 === 'number') return unsigned(5, object.uint16);
  if (typeof object.uint64 === 'number') return unsigned(9, object.uint64);
  const entries = Object.entries(object);
  return Buffer.concat([control(7, entries.length), ...entries.flatMap(([k, v]) => [encode(k), encode(v)])]);
}
