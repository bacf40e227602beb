#!/usr/bin/perl
# Malformed configs and bad values (bad/NAME.cfg, optional NAME.args):
# xl exits 1 (not killed by a signal, no sanitizer report) and its
# stderr matches every regex of bad/NAME.expect (file:line for syntax
# errors, key and value for bad values).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/..";
use Test::More;
use Cases;

# Run from bad/ so that messages name the file as given: "x.cfg: ...".
chdir("$Cases::DIR/bad") or die "bad/: $!";
my @cfgs = sort glob("*.cfg");
plan tests => 2 * @cfgs + 2;

for my $cfg (@cfgs) {
    (my $base = $cfg) =~ s/\.cfg$//;
    my $name = (split m{/}, $base)[-1];
    my @args = -f "$base.args"
        ? grep { length } split(/\n/, Cases::slurp("$base.args")) : ();
    my @expect = grep { length } split /\n/, Cases::slurp("$base.expect");
    my ($st, $out, $err) = Cases::run(undef, @Cases::OUR_XL, '-N',
                                      'create', $cfg, @args);
    ok($st >> 8 == 1 && !($st & 127) && $err !~ /Sanitizer|runtime error/,
       "$name: exits 1, no crash") or diag("status $st\n$err");
    my @missing = grep { $err !~ /$_/m } @expect;
    ok(!@missing, "$name: error names the problem")
        or diag("stderr:\n$err\nmissing: @missing");
}

my ($st, $out, $err) = Cases::run(undef, @Cases::OUR_XL, '-N', 'create',
                                  "no-such-file.cfg");
is($st >> 8, 1, 'missing config file: exits 1');
like($err, qr/cannot read .*no-such-file\.cfg: No such file/,
     'missing config file: says so');
