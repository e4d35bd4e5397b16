import type { ReactNode } from "react";
import { Body, Button, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";

export const PRODUCT_NAME = "Acme Console";

// Inline styles only: most mail clients drop <style> blocks and ignore classes.
const styles = {
  body: { backgroundColor: "#f4f5f7", fontFamily: "-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif", margin: 0, padding: "24px 0" },
  container: {
    backgroundColor: "#ffffff",
    border: "1px solid #e3e5e8",
    borderRadius: "8px",
    maxWidth: "520px",
    margin: "0 auto",
    padding: "32px",
  },
  brand: {
    color: "#5b6170",
    fontSize: "13px",
    fontWeight: 600,
    letterSpacing: "0.04em",
    margin: "0 0 24px",
    textTransform: "uppercase" as const,
  },
  heading: { color: "#111827", fontSize: "22px", fontWeight: 600, lineHeight: "30px", margin: "0 0 16px" },
  text: { color: "#1f2937", fontSize: "15px", lineHeight: "24px", margin: "0 0 16px" },
  button: {
    backgroundColor: "#1d4ed8",
    borderRadius: "6px",
    color: "#ffffff",
    display: "inline-block",
    fontSize: "15px",
    fontWeight: 600,
    padding: "12px 20px",
    textDecoration: "none",
  },
  small: { color: "#5b6170", fontSize: "13px", lineHeight: "20px", margin: "0 0 12px" },
  link: { color: "#1d4ed8", wordBreak: "break-all" as const },
  hr: { borderColor: "#e3e5e8", margin: "24px 0" },
};

/** The frame every message shares: brand line, heading, body, footer. */
export function EmailLayout(props: { preview: string; heading: string; children: ReactNode; footer: ReactNode }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Text style={styles.brand}>{PRODUCT_NAME}</Text>
          <Heading as="h1" style={styles.heading}>
            {props.heading}
          </Heading>
          {props.children}
          <Hr style={styles.hr} />
          {props.footer}
        </Container>
      </Body>
    </Html>
  );
}

/** A paragraph of body text. */
/**
 * Who did something: their name and address, or the address alone. A name people chose is isolated
 * (dir="auto"), so a right-to-left name cannot reorder the sentence around it.
 */
export function PersonName(props: { name: string; email: string }) {
  return props.name ? (
    <>
      <span dir="auto">{props.name}</span> ({props.email})
    </>
  ) : (
    props.email
  );
}

export function Paragraph(props: { children: ReactNode }) {
  return <Text style={styles.text}>{props.children}</Text>;
}

/** Fine print under the divider. */
export function FinePrint(props: { children: ReactNode }) {
  return <Text style={styles.small}>{props.children}</Text>;
}

/**
 * The call to action followed by the same link written out: some clients strip buttons, and
 * people on plain-text clients or behind link rewriting still need something to copy.
 */
export function ActionLink(props: { href: string; label: string }) {
  return (
    <>
      <Section style={{ margin: "8px 0 24px" }}>
        <Button href={props.href} style={styles.button}>
          {props.label}
        </Button>
      </Section>
      <Text style={styles.small}>Or copy and paste this link into your browser:</Text>
      <Text style={styles.small}>
        <Link href={props.href} style={styles.link}>
          {props.href}
        </Link>
      </Text>
    </>
  );
}
