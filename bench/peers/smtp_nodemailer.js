// SPDX-License-Identifier: Apache-2.0
// Peer of bench/smtp_submit.cpp: the same N messages of about SIZE bytes, dr.martin -> dr.bernard,
// through the sandbox Postfix with nodemailer's pooled SMTP transport (STARTTLS required, the
// sandbox CA, AUTH), first with maxConnections 1, then 5. The messages are given raw, so that both
// sides send the same bytes and nodemailer's MIME composer is not measured.
//
//   npm install --prefix /tmp/mss-bench-node nodemailer
//   eval "$(scripts/sandbox env)"; node bench/peers/smtp_nodemailer.js [N=500] [SIZE=20480]
//
// Prints `one_connection_msg_per_s=<x>` and `five_connections_msg_per_s=<x>`.
'use strict';

const fs = require('fs');
const path = require('path');

function loadNodemailer() {
  try {
    return require('nodemailer');
  } catch (e) {
    const prefix = process.env.MSS_BENCH_NODE_PREFIX || '/tmp/mss-bench-node';
    return require(path.join(prefix, 'node_modules', 'nodemailer'));
  }
}

function env(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run \`eval "$(scripts/sandbox env)"\` first`);
  }
  return value;
}

function makeMessages(n, size) {
  const from = env('MSS_SANDBOX_DR_MARTIN_ADDRESS');
  const to = env('MSS_SANDBOX_DR_BERNARD_ADDRESS');
  const line = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor ut.\r\n';
  let body = '';
  while (body.length < size) body += line;
  const stamp = Date.now();
  const out = [];
  for (let i = 0; i < n; i++) {
    const id = `bench-node-${i}-${stamp}@regional.mssante.test`;
    out.push({
      envelope: { from, to: [to] },
      raw: `From: <${from}>\r\nTo: <${to}>\r\nSubject: bench ${i}\r\nMessage-ID: <${id}>\r\n\r\n${body}`,
    });
  }
  return out;
}

async function run(nodemailer, messages, connections) {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: connections,
    maxMessages: Infinity,
    host: env('MSS_SANDBOX_HOST'),
    port: Number(env('MSS_SANDBOX_SMTP_PORT')),
    secure: false,
    requireTLS: true,
    name: 'bench.regional.mssante.test',
    tls: {
      ca: fs.readFileSync(env('MSS_SANDBOX_CA')),
      servername: env('MSS_SANDBOX_TLS_NAME'),
      minVersion: 'TLSv1.2',
    },
    auth: { user: env('MSS_SANDBOX_DR_MARTIN_ADDRESS'), pass: env('MSS_SANDBOX_DR_MARTIN_PASSWORD') },
  });
  const start = process.hrtime.bigint();
  const results = await Promise.allSettled(messages.map((m) => transport.sendMail(m)));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  transport.close();
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) {
    throw new Error(`${failed.length} submissions failed: ${failed[0].reason}`);
  }
  return messages.length / seconds;
}

async function main() {
  const n = Number(process.argv[2] || 500);
  const size = Number(process.argv[3] || 20480);
  const nodemailer = loadNodemailer();
  const messages = makeMessages(n, size);
  console.log(`smtp-submit (nodemailer): ${n} messages of ${messages[0].raw.length} bytes`);
  console.log(`one_connection_msg_per_s=${(await run(nodemailer, messages, 1)).toFixed(1)}`);
  console.log(`five_connections_msg_per_s=${(await run(nodemailer, messages, 5)).toFixed(1)}`);
}

main().catch((e) => {
  console.error(`smtp-submit (nodemailer): ${e.message}`);
  process.exit(1);
});
