import nodemailer from 'nodemailer';
import { AppError } from '../http/errors.ts';

export interface SmtpSettings {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  username: string | null;
  password: string | null;
  fromAddress: string;
  fromName: string | null;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
}

/** Send one message through the merchant's SMTP server; its refusal becomes a clear 502. */
export async function sendMail(smtp: SmtpSettings, mail: OutgoingMail): Promise<void> {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    ...(smtp.username ? { auth: { user: smtp.username, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  try {
    await transport.sendMail({
      from: smtp.fromName ? { name: smtp.fromName, address: smtp.fromAddress } : smtp.fromAddress,
      to: mail.to,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
    });
  } catch (error) {
    // Say what kind of failure it was, not what the server said: its banner is not ours to show.
    throw new AppError(
      'email_failed',
      `The email server ${smtp.host}:${smtp.port} did not take the message: ${reasonOf(error)}`,
    );
  } finally {
    transport.close();
  }
}

function reasonOf(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  // nodemailer wraps socket errors (code ESOCKET): the system error is named in its message.
  const systemError = /\b(ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH)\b/.exec(message ?? '')?.[1];
  switch (systemError ?? code) {
    case 'ENOTFOUND':
      return 'there is no server of that name';
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
    case 'ESOCKET':
    case 'ECONNECTION':
      return 'it could not be reached';
    case 'EAUTH':
      return 'the user name or password was not accepted';
    case 'EENVELOPE':
      return 'it refused the sender or the recipient';
    case 'ETLS':
      return 'the secure connection failed (check the security setting)';
    default:
      return 'it answered with an error';
  }
}
