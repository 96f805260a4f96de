// SPDX-License-Identifier: Apache-2.0
// Peer of bench/imap_sync.cpp: the same sandbox mailbox folder, read with imapflow over STARTTLS
// (sandbox CA, AUTH PLAIN), one connection:
//   (a) metadata: UID FLAGS ENVELOPE BODYSTRUCTURE INTERNALDATE of every message, decoded by
//       imapflow into JavaScript objects (subjects and names decoded from RFC 2047);
//   (b) full bodies: BODY.PEEK[] of every message (`source: true`).
// Each is run ROUNDS times after one warm-up round; the best round counts, as in the C++ side.
//
//   npm install --prefix /tmp/mss-bench-node imapflow
//   eval "$(scripts/sandbox env)"; node bench/peers/imap_imapflow.js FOLDER [ROUNDS=5]
//
// Prints `metadata_msg_per_s=<x>` and `bodies_msg_per_s=<x>` (and the counts behind them).
'use strict';

const fs = require('fs');
const path = require('path');

function loadImapFlow() {
  try {
    return require('imapflow').ImapFlow;
  } catch (e) {
    const prefix = process.env.MSS_BENCH_NODE_PREFIX || '/tmp/mss-bench-node';
    return require(path.join(prefix, 'node_modules', 'imapflow')).ImapFlow;
  }
}

function env(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run \`eval "$(scripts/sandbox env)"\` first`);
  }
  return value;
}

async function timed(fn) {
  const start = process.hrtime.bigint();
  const result = await fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, result };
}

async function main() {
  const folder = process.argv[2];
  const rounds = Number(process.argv[3] || 5);
  if (!folder) throw new Error('usage: node imap_imapflow.js FOLDER [ROUNDS]');
  const ImapFlow = loadImapFlow();
  const client = new ImapFlow({
    host: env('MSS_SANDBOX_HOST'),
    port: Number(env('MSS_SANDBOX_IMAP_PORT')),
    secure: false,
    doSTARTTLS: true,
    servername: env('MSS_SANDBOX_TLS_NAME'),
    tls: { ca: [fs.readFileSync(env('MSS_SANDBOX_CA'))], minVersion: 'TLSv1.2' },
    auth: { user: env('MSS_SANDBOX_CARDIOLOGIE_CHU_ADDRESS'), pass: env('MSS_SANDBOX_CARDIOLOGIE_CHU_PASSWORD') },
    logger: false,
    disableCompression: true,
  });
  await client.connect();
  const lock = await client.getMailboxLock(folder);
  try {
    const metadata = async () => {
      let n = 0;
      let parts = 0;
      let subjectBytes = 0;
      for await (const msg of client.fetch('1:*', { uid: true, flags: true, envelope: true, bodyStructure: true, internalDate: true }, { uid: true })) {
        n++;
        subjectBytes += (msg.envelope.subject || '').length;
        parts += msg.bodyStructure.childNodes ? msg.bodyStructure.childNodes.length : 1;
      }
      return { n, parts, subjectBytes };
    };
    const bodies = async () => {
      let n = 0;
      let bytes = 0;
      for await (const msg of client.fetch('1:*', { uid: true, source: true }, { uid: true })) {
        n++;
        bytes += msg.source.length;
      }
      return { n, bytes };
    };
    await metadata();  // warm-up
    let best = Infinity;
    let count = 0;
    for (let i = 0; i < rounds; i++) {
      const { ms, result } = await timed(metadata);
      best = Math.min(best, ms);
      count = result.n;
    }
    console.log(`metadata_messages=${count} metadata_best_ms=${best.toFixed(1)}`);
    console.log(`metadata_msg_per_s=${(count / (best / 1000)).toFixed(0)}`);
    await bodies();
    best = Infinity;
    let bytes = 0;
    for (let i = 0; i < rounds; i++) {
      const { ms, result } = await timed(bodies);
      best = Math.min(best, ms);
      count = result.n;
      bytes = result.bytes;
    }
    console.log(`bodies_messages=${count} bodies_bytes=${bytes} bodies_best_ms=${best.toFixed(1)}`);
    console.log(`bodies_msg_per_s=${(count / (best / 1000)).toFixed(0)}`);
  } finally {
    lock.release();
  }
  await client.logout();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
