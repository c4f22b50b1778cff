// A real SMTP server in its own process, for tests that send email: it accepts every message and
// writes it, as received, to the folder given (one .eml file a message). Prints "listening PORT".
import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

const folder = process.argv[2];
let count = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      const name = `${String(++count).padStart(4, '0')}.eml`;
      const envelope = `X-Envelope-To: ${session.envelope.rcptTo.map((r) => r.address).join(', ')}\r\n`;
      fs.writeFileSync(path.join(folder, name), envelope + Buffer.concat(chunks).toString('utf8'));
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
