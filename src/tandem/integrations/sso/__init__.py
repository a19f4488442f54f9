"""Single sign-on by OpenID Connect, for members and partner-side people."""
