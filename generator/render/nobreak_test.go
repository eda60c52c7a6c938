package render

import "testing"

func TestNoBreaks(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<p>（2026年3月18日）会议</p>", `<p>（<span class="nw">2026年3月18日</span>）会议</p>`},
		{"<p>按照青石社区居委〔2026〕4号文件</p>", `<p>按照<span class="nw">青石社区居委〔2026〕4号</span>文件</p>`},
		{"<p>合计3,742,318.60元，其中128640.00</p>", `<p>合计<span class="nw">3,742,318.60元</span>，其中<span class="nw">128640.00</span></p>`},
		{`<p><a href="x/2026年3月18日.pdf">附件</a></p>`, `<p><a href="x/2026年3月18日.pdf">附件</a></p>`},
		{"<pre>2026年3月18日</pre><p>3月18日</p>", `<pre>2026年3月18日</pre><p><span class="nw">3月18日</span></p>`},
		{"<p>第三条 居民应当爱护环境</p>", "<p>第三条 居民应当爱护环境</p>"},
	}
	for _, tc := range tests {
		if got := string(noBreaks([]byte(tc.in))); got != tc.want {
			t.Errorf("noBreaks(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}
